# bench/report.awk: turns bench/run.sh's raw.txt into the printed tables
# and results.json (in the directory given as -v out=DIR).  Raw lines:
#   W UNIT TARGET RUN VALUE LATENCY_US OPS DAEMON_CPU_S SERVER_CPU_S FRAMES
#   memory TARGET NODES VMHWM_BEFORE_KB VMHWM_AFTER_KB
# Per workload and target: the median value and latency over the runs, the
# mean CPU seconds per run, puffs frames per operation (puffsd targets);
# ratio = target median / passthrough median (higher value is better).

function median(list,    a, n, i, j, t) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	if (n == 0)
		return 0
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}

function avg(sum, n) {
	return n > 0 ? sum / n : 0
}

function fmt(v) {
	if (v == "")
		return "-"
	return v >= 100 ? sprintf("%.0f", v) : v >= 10 ? sprintf("%.1f", v) : \
	    sprintf("%.2f", v)
}

$1 == "memory" {
	mem[$2] = 1
	memnodes[$2] = $3
	mem0[$2] = $4
	mem1[$2] = $5
	next
}

NF >= 10 {
	w = $1
	if (!(w in seen)) {
		seen[w] = 1
		order[++nw] = w
		unit[w] = $2
	}
	k = w SUBSEP $3
	val[k] = val[k] " " $5
	lat[k] = lat[k] " " $6
	ops[k] += $7
	dcpu[k] += $8
	scpu[k] += $9
	frm[k] += $10
	nrun[k]++
}

END {
	nt = split("native passthrough nullfs memfs", tg, " ")
	for (i = 1; i <= nw; i++) {
		w = order[i]
		for (j = 1; j <= nt; j++) {
			k = w SUBSEP tg[j]
			if (!(k in nrun))
				continue
			med[k] = median(val[k])
			mlat[k] = median(lat[k])
		}
	}

	printf "\nThroughput (median of %d run%s; ratio = puffsd / " \
	    "passthrough)\n", runs, runs == 1 ? "" : "s"
	printf "%-14s %-10s %10s %11s %10s %10s %8s %8s\n", "workload", "unit",
	    "native", "passthrough", "nullfs", "memfs", "null/pt", "mem/pt"
	for (i = 1; i <= nw; i++) {
		w = order[i]
		pt = med[w SUBSEP "passthrough"]
		rn = rm = "-"
		if (pt > 0) {
			rn = sprintf("%.2f", med[w SUBSEP "nullfs"] / pt)
			rm = sprintf("%.2f", med[w SUBSEP "memfs"] / pt)
		}
		printf("%-14s %-10s %10s %11s %10s %10s %8s %8s\n", w, unit[w],
		    fmt(med[w SUBSEP "native"]), fmt(pt),
		    fmt(med[w SUBSEP "nullfs"]), fmt(med[w SUBSEP "memfs"]),
		    rn, rm)
	}

	printf "\nLatency per operation (us, median) and CPU seconds per run " \
	    "(daemon+server), puffs frames per operation\n"
	printf "%-14s %8s %8s %8s %8s | %7s %11s %11s | %6s %6s\n",
	    "workload", "native", "pt", "nullfs", "memfs", "pt cpu",
	    "nullfs cpu", "memfs cpu", "fr/op", "fr/op"
	for (i = 1; i <= nw; i++) {
		w = order[i]
		kp = w SUBSEP "passthrough"
		kn = w SUBSEP "nullfs"
		km = w SUBSEP "memfs"
		fn = fm = "-"
		if (ops[kn] > 0)
			fn = sprintf("%.2f", frm[kn] / ops[kn])
		if (ops[km] > 0)
			fm = sprintf("%.2f", frm[km] / ops[km])
		printf("%-14s %8s %8s %8s %8s | %7.2f %5.2f+%5.2f %5.2f+%5.2f" \
		    " | %6s %6s\n", w,
		    fmt(mlat[w SUBSEP "native"]), fmt(mlat[kp]), fmt(mlat[kn]),
		    fmt(mlat[km]), avg(dcpu[kp], nrun[kp]),
		    avg(dcpu[kn], nrun[kn]), avg(scpu[kn], nrun[kn]),
		    avg(dcpu[km], nrun[km]), avg(scpu[km], nrun[km]), fn, fm)
	}

	printf "\nPeak memory (VmHWM) with many nodes known\n"
	for (t in mem) {
		per = avg((mem1[t] - mem0[t]) * 1024, memnodes[t])
		printf("%-12s %7d nodes: %6d KiB at mount, %7d KiB peak, " \
		    "%.0f bytes per node\n", t, memnodes[t], mem0[t], mem1[t],
		    per)
	}

	# results.json
	js = out "/results.json"
	printf("{\n  \"runs\": %d,\n  \"quick\": %s,\n  \"workloads\": {\n",
	    runs, quick ? "true" : "false") > js
	for (i = 1; i <= nw; i++) {
		w = order[i]
		pt = med[w SUBSEP "passthrough"]
		printf("    \"%s\": {\n      \"unit\": \"%s\",\n", w, unit[w]) > js
		printf "      \"targets\": {\n" > js
		first = 1
		for (j = 1; j <= nt; j++) {
			k = w SUBSEP tg[j]
			if (!(k in nrun))
				continue
			v = val[k]
			sub(/^ /, "", v)
			gsub(/ /, ", ", v)
			ratio = "null"
			if (pt > 0)
				ratio = sprintf("%.4f", med[k] / pt)
			printf("%s        \"%s\": {\"median\": %g, " \
			    "\"latency_us\": %g, \"runs\": [%s], " \
			    "\"daemon_cpu_s\": %g, \"server_cpu_s\": %g, " \
			    "\"frames_per_op\": %g, \"ratio_to_passthrough\": %s}",
			    first ? "" : ",\n", tg[j], med[k], mlat[k], v,
			    avg(dcpu[k], nrun[k]), avg(scpu[k], nrun[k]),
			    avg(frm[k], ops[k]), ratio) > js
			first = 0
		}
		printf("\n      }\n    }%s\n", i < nw ? "," : "") > js
	}
	printf "  },\n  \"memory\": {" > js
	first = 1
	for (t in mem) {
		printf("%s\n    \"%s\": {\"nodes\": %d, \"vmhwm_mount_kib\": %d, " \
		    "\"vmhwm_peak_kib\": %d, \"bytes_per_node\": %.0f}",
		    first ? "" : ",", t, memnodes[t], mem0[t], mem1[t],
		    avg((mem1[t] - mem0[t]) * 1024, memnodes[t])) > js
		first = 0
	}
	printf "\n  }\n}\n" > js
	close(js)
}
