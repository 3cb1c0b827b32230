#!/bin/bash
# bench/run.sh: the benchmark suite.  Runs the same workloads on four
# targets in one run and prints the median of several runs and the ratio to
# the native FUSE passthrough (the baseline: what plain FUSE costs):
#   native       a tmpfs directory
#   passthrough  bench-passthrough (our libfuse lowlevel fs) over that tmpfs
#   nullfs       puffsd + the nullfs example server over the same tmpfs
#   memfs        puffsd + the memfs example server (data in its memory)
# Workloads: fio (seq read/write 1 MiB, 4 KiB randread/randwrite with 1 and
# 4 jobs, O_DIRECT so that every block reaches the file system), and
# bench-meta (create+stat+unlink of 10,000 files, readdir of a
# 10,000-entry directory cold and warm, tar unpack of 18,000 small files,
# lstat of every file of that tree, warm and cold).  Also the
# daemon's and server's CPU time per workload (/proc/PID/stat), puffs
# frames per operation (puffsctl status), and the peak memory (VmHWM) of
# puffsd and of the passthrough with many nodes known.
#
# usage: bench/run.sh [--quick] [--runs N] [--out DIR] [--only WORKLOADS]
#   --quick   tiny sizes, one run: proves the suite works (meson test
#             bench-quick); its numbers mean nothing
#   --runs N  runs per workload and target (default 3)
#   --out DIR where results.json, table.txt and raw.txt go
#             (default bench/out in the build directory)
#   --only    comma-separated workload names (see WORKLOADS below), and
#             "memory" for the memory test
# Needs root, /dev/fuse and fio; the data workloads are skipped with a
# message when fio is missing.  Binaries come from the environment (PUFFSD,
# PUFFSCTL, MEMFS, NULLFS, PASSTHROUGH, METABENCH) or from BUILDDIR
# (default build/ in the checkout).  Exit status 77 without root or
# /dev/fuse, unless PUFFS_REQUIRE_FUSE=1 (then 1).
set -u -o pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILDDIR:-$src/build}
PUFFSD=${PUFFSD:-$build/src/puffsd}
PUFFSCTL=${PUFFSCTL:-$build/src/puffsctl}
MEMFS=${MEMFS:-$build/puffs-compat/examples/memfs/memfs}
NULLFS=${NULLFS:-$build/puffs-compat/examples/nullfs/nullfs}
PASSTHROUGH=${PASSTHROUGH:-$build/bench/bench-passthrough}
METABENCH=${METABENCH:-$build/bench/bench-meta}

quick=0
runs=3
out=$build/bench/out
only=
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1; runs=1 ;;
	--runs) runs=$2; shift ;;
	--out) out=$2; shift ;;
	--only) only=,$2,; shift ;;
	*) echo "usage: $0 [--quick] [--runs N] [--out DIR]" \
	    "[--only W1,W2]" >&2; exit 2 ;;
	esac
	shift
done

skip() {
	echo "run.sh: $*" >&2
	[ "${PUFFS_REQUIRE_FUSE:-0}" = 1 ] && exit 1
	exit 77
}
[ "$(id -u)" = 0 ] || skip "needs root (mounts, drop_caches)"
[ -c /dev/fuse ] || skip "needs /dev/fuse"
for b in "$PUFFSD" "$PUFFSCTL" "$MEMFS" "$NULLFS" "$PASSTHROUGH" \
    "$METABENCH"; do
	[ -x "$b" ] || { echo "run.sh: $b not built (ninja -C build)" >&2
	    exit 1; }
done
havefio=1
command -v fio >/dev/null || { havefio=0
	echo "run.sh: fio not installed: data workloads skipped" \
	    "(apt-get install fio)" >&2; }

if [ $quick = 1 ]; then
	NCREATE=200 NDIR=200 NTAR=300 NNODES=1000
	FIO_SEQ=4M FIO_RAND=2M FIO_TIME=
else
	NCREATE=10000 NDIR=10000 NTAR=18000 NNODES=100000
	FIO_SEQ=128M FIO_RAND=64M FIO_TIME=3
fi

TARGETS="native passthrough nullfs memfs"
WORKLOADS="seqwrite seqread randread1 randwrite1 randread4 randwrite4
    create readdir_cold readdir_warm tar stattree_warm stattree_cold"

W=
pids=()
mnts=()
cleanup() {
	local i
	for i in "${!pids[@]}"; do
		kill -TERM "${pids[$i]}" 2>/dev/null
	done
	for i in "${!pids[@]}"; do
		waitpid "${pids[$i]}" 10 || kill -KILL "${pids[$i]}" 2>/dev/null
	done
	for i in "${mnts[@]}"; do
		ismounted "$i" && umount -l "$i"
	done
	if [ -n "$W" ]; then
		umount "$W/tmpfs" 2>/dev/null
		rm -rf "$W"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# waitpid PID SECONDS: true once PID (our child) has exited.
waitpid() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		kill -0 "$1" 2>/dev/null || { wait "$1" 2>/dev/null; return 0; }
		sleep 0.1
	done
	return 1
}

ismounted() {
	awk -v m="$1" '$2 == m { f = 1 } END { exit !f }' /proc/self/mounts
}

# waitmount DIR PID: the FUSE mount on DIR is live (10 s at most).
waitmount() {
	local i
	for ((i = 0; i < 100; i++)); do
		ismounted "$1" && stat -f "$1" >/dev/null 2>&1 && return 0
		kill -0 "$2" 2>/dev/null || break
		sleep 0.1
	done
	echo "run.sh: no mount on $1" >&2
	exit 1
}

# The passthrough keeps a descriptor per known node: it raises its limit
# to the hard one, which bounds the nodes it can know at once (20,000 in
# containers that forbid raising the hard limit).  Hence a tar of 18,000
# files, the readdir directory removed before it, and its memory test
# capped below the hard limit.
ptnodes=$(($(ulimit -Hn) - 1000))

# Per target: the directory the workloads use, the daemon and server pids.
declare -A dir dpid spid
W=$(mktemp -d /tmp/puffs-bench.XXXXXX)
mkdir "$W/tmpfs" "$W/m_pass" "$W/m_null" "$W/m_mem" "$W/gen"
mount -t tmpfs -o size=2g,mode=0755 bench "$W/tmpfs" || exit 1
mnts+=("$W/tmpfs")
mkdir "$W/tmpfs/native"

# start TARGET MOUNTPOINT SUBDIR COMMAND...: mount, note pids and workdir.
start() {
	local t=$1 m=$2 sub=$3 pid
	shift 3
	"$@" &
	pid=$!
	pids+=("$pid")
	mnts+=("$m")
	waitmount "$m" "$pid"
	dpid[$t]=$pid
	spid[$t]=$(cat "/proc/$pid/task/$pid/children" 2>/dev/null | \
	    awk '{ print $1 }')
	dir[$t]=$m/$sub
	mkdir -p "${dir[$t]}"
}
dir[native]=$W/tmpfs/native
start passthrough "$W/m_pass" pass "$PASSTHROUGH" "$W/tmpfs" "$W/m_pass"
start nullfs "$W/m_null" null "$PUFFSD" -- "$NULLFS" -s "$W/tmpfs" \
    "$W/m_null"
start memfs "$W/m_mem" mem "$PUFFSD" -- "$MEMFS" -s "$W/m_mem"

mkdir -p "$out" || exit 1
raw=$out/raw.txt
: >"$raw"

# CPU seconds (user + system) of PID so far, 0 without one.
cpu() {
	[ -n "${1:-}" ] && [ -r "/proc/$1/stat" ] || { echo 0; return; }
	awk -v hz="$(getconf CLK_TCK)" \
	    '{ sub(/.*\) /, ""); print ($12 + $13) / hz }' "/proc/$1/stat"
}

# puffs frames puffsd has sent to the server so far (puffsd targets).
frames() {
	case $1 in
	nullfs|memfs) "$PUFFSCTL" status "${mnt[$1]}" 2>/dev/null | \
	    awk '/^frames sent:/ { print $3 }' ;;
	*) echo 0 ;;
	esac
}
declare -A mnt=([nullfs]=$W/m_null [memfs]=$W/m_mem)

dropcaches() {
	echo 2 >/proc/sys/vm/drop_caches
}

# fio KIND DIR [options]: "value latency_us ops" (MiB/s or IOPS).
fio_run() {
	local kind=$1 d=$2 line
	shift 2
	line=$(fio --name=bench --directory="$d" --ioengine=psync \
	    --direct=1 --group_reporting --output-format=terse \
	    --terse-version=3 ${FIO_TIME:+--time_based --runtime=$FIO_TIME} \
	    "$@" 2>/dev/null | tail -1)
	[ -n "$line" ] || { echo "run.sh: fio failed in $d" >&2; return 1; }
	# terse v3: read KiB 6, KiB/s 7, iops 8, lat mean (us) 40; write
	# 47, 48, 49, 81.  Operations: KiB moved / block size in KiB.
	echo "$line" | awk -F';' -v k="$kind" '{
		if (k == "rbw") print $7 / 1024, $40, $6 / 1024
		else if (k == "wbw") print $48 / 1024, $81, $47 / 1024
		else if (k == "riops") print $8, $40, $6 / 4
		else print $49, $81, $47 / 4 }'
}

# meta_rate: "ops/s latency_us ops" from bench-meta's "ops seconds".
meta_rate() {
	awk '{ if ($2 > 0 && $1 > 0) print $1 / $2, $2 / $1 * 1e6, $1
	    else print 0, 0, 0 }'
}

# workload W TARGET RUN: prints "value latency_us ops"; unit by name.
workload() {
	local w=$1 t=$2 r=$3 d=${dir[$2]} s e n
	case $w in
	seqwrite) fio_run wbw "$d" --rw=write --bs=1M --size=$FIO_SEQ ;;
	seqread) fio_run rbw "$d" --rw=read --bs=1M --size=$FIO_SEQ ;;
	randread1) fio_run riops "$d" --rw=randread --bs=4k \
	    --size=$FIO_RAND ;;
	randwrite1) fio_run wiops "$d" --rw=randwrite --bs=4k \
	    --size=$FIO_RAND ;;
	randread4) fio_run riops "$d" --rw=randread --bs=4k \
	    --size=$FIO_RAND --numjobs=4 ;;
	randwrite4) fio_run wiops "$d" --rw=randwrite --bs=4k \
	    --size=$FIO_RAND --numjobs=4 ;;
	create) mkdir "$d/c$r" && "$METABENCH" create $NCREATE "$d/c$r" | \
	    meta_rate; rmdir "$d/c$r" ;;
	readdir_cold) dropcaches; "$METABENCH" readdir "$d/dir" | meta_rate ;;
	readdir_warm) "$METABENCH" readdir "$d/dir" >/dev/null
	    "$METABENCH" readdir "$d/dir" | meta_rate ;;
	tar) rm -rf "$d/tree"; mkdir "$d/tree"
	    s=$EPOCHREALTIME
	    tar -xf "$W/tree.tar" -C "$d/tree" || return 1
	    e=$EPOCHREALTIME
	    n=$(tar -tf "$W/tree.tar" | wc -l)
	    awk -v n="$n" -v s="$s" -v e="$e" \
	        'BEGIN { print n / (e - s), (e - s) / n * 1e6, n }' ;;
	stattree_warm) "$METABENCH" stattree "$d/tree" >/dev/null
	    "$METABENCH" stattree "$d/tree" | meta_rate ;;
	stattree_cold) dropcaches
	    "$METABENCH" stattree "$d/tree" | meta_rate ;;
	esac
}

unit() {
	case $1 in
	seq*) echo MiB/s ;;
	rand*) echo IOPS ;;
	create) echo ops/s ;;
	readdir*) echo entries/s ;;
	tar) echo files/s ;;
	stattree*) echo stats/s ;;
	esac
}

# Untimed setup: the tar archive, and the readdir directory per target.
"$METABENCH" maketree $NTAR "$W/gen" || exit 1
tar -cf "$W/tree.tar" -C "$W/gen" . || exit 1
rm -rf "$W/gen"
for t in $TARGETS; do
	mkdir "${dir[$t]}/dir" && "$METABENCH" fill $NDIR "${dir[$t]}/dir" ||
	    exit 1
done

echo "run.sh: $runs run(s), $(nproc) cores, $(uname -r), results in $out"
for w in $WORKLOADS; do
	[ -z "$only" ] || [[ $only == *,$w,* ]] ||
	    [[ $w == stattree* && $only == *,tar,* ]] || continue
	[ $havefio = 1 ] || [[ $w != seq* && $w != rand* ]] || continue
	for ((r = 1; r <= runs; r++)); do
		for t in $TARGETS; do
			d0=$(cpu "${dpid[$t]:-}") s0=$(cpu "${spid[$t]:-}")
			f0=$(frames $t)
			res=$(workload $w $t $r) && [ -n "$res" ] ||
			    { echo "run.sh: $w failed on $t" >&2; exit 1; }
			d1=$(cpu "${dpid[$t]:-}") s1=$(cpu "${spid[$t]:-}")
			f1=$(frames $t)
			set -- $res
			echo "$w $(unit $w) $t $r $1 $2 $3" \
			    "$(awk -v a="$d0" -v b="$d1" 'BEGIN{print b-a}')" \
			    "$(awk -v a="$s0" -v b="$s1" 'BEGIN{print b-a}')" \
			    "$((f1 - f0))" | tee -a "$raw"
		done
	done
	# fio's files and the tree go after the last workload using them.
	for t in $TARGETS; do
		case $w in
		randwrite4) rm -rf "${dir[$t]}"/bench.* ;;
		readdir_warm) rm -rf "${dir[$t]}/dir" ;;
		stattree_cold) rm -rf "${dir[$t]}/tree" ;;
		esac
	done
done

# Peak memory with NNODES nodes known: a fresh puffsd + memfs and a fresh
# passthrough, each filled with NNODES files (each created file stays a
# known node: its dentry holds the lookup).
memtest() {
	local t=$1 m=$W/mem_$1 pid hwm0 hwm1 nodes n
	mkdir "$m"
	case $t in
	memfs) "$PUFFSD" -- "$MEMFS" -s "$m" & ;;
	passthrough) mkdir "$W/tmpfs/memtest"
	    "$PASSTHROUGH" "$W/tmpfs/memtest" "$m" & ;;
	esac
	pid=$!
	pids+=("$pid")
	mnts+=("$m")
	waitmount "$m" "$pid"
	hwm0=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
	n=$NNODES
	[ $t = passthrough ] && [ $n -gt $ptnodes ] && n=$ptnodes
	mkdir "$m/n" && "$METABENCH" fill $n "$m/n" || exit 1
	hwm1=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
	nodes=
	[ $t = memfs ] && nodes=$("$PUFFSCTL" status "$m" | \
	    awk '/^nodes:/ { print $2 }')
	echo "memory $t ${nodes:-$n} $hwm0 $hwm1" | tee -a "$raw"
	kill -TERM "$pid"
	waitpid "$pid" 20 || kill -KILL "$pid"
}
if [ -z "$only" ] || [[ $only == *,memory,* ]]; then
	memtest memfs
	memtest passthrough
fi

awk -v out="$out" -v runs="$runs" -v quick="$quick" \
    -f "$src/bench/report.awk" "$raw" | tee "$out/table.txt"
echo "run.sh: wrote $out/results.json and $out/table.txt"
