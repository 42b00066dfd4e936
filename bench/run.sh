#!/usr/bin/env bash
# bench/run.sh: the benchmark of issue #6. It times trustdir against Hugo on
# the synthetic repositories of ../shared/bench/gen-repo.py and writes the
# medians, the ratios and the issue's targets into BENCHMARKS.md.
# See bench/README.md.
#
#   bench/run.sh [--sizes 1k,10k] [--runs N] [--out FILE]
#
# A size may carry its own number of runs: --sizes 1k,10k:3.
# Environment: TRUSTDIR (the binary, default build/trustdir), RUNS (5),
# SIZES (1k,10k), BENCH_DIR (/tmp: repositories and scratch space),
# GEN_REPO (../shared/bench/gen-repo.py), TRUSTDIR_COMMIT (the commit the
# binary was built from, when not this checkout's HEAD).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

RUNS=${RUNS:-5}
SIZES=${SIZES:-1k,10k}
BENCH_DIR=${BENCH_DIR:-/tmp}
GEN_REPO=${GEN_REPO:-$here/../../shared/bench/gen-repo.py}
TRUSTDIR=${TRUSTDIR:-$root/build/trustdir}
OUTPUT=$root/BENCHMARKS.md

usage() {
	sed -n '2,13s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--sizes) SIZES=${2:?--sizes needs a value}; shift 2 ;;
	--sizes=*) SIZES=${1#*=}; shift ;;
	--runs) RUNS=${2:?--runs needs a value}; shift 2 ;;
	--runs=*) RUNS=${1#*=}; shift ;;
	--out) OUTPUT=${2:?--out needs a value}; shift 2 ;;
	--out=*) OUTPUT=${1#*=}; shift ;;
	-h | --help) usage ;;
	*) echo "bench: unknown argument: $1" >&2; usage ;;
	esac
done

say() { echo "bench: $*" >&2; }
die() { echo "bench: error: $*" >&2; exit 1; }

case $RUNS in '' | *[!0-9]* | 0) die "--runs must be a positive number, not '$RUNS'" ;; esac
case $TRUSTDIR in /*) ;; *) TRUSTDIR=$PWD/$TRUSTDIR ;; esac
case $OUTPUT in /*) ;; *) OUTPUT=$PWD/$OUTPUT ;; esac
[ -x "$TRUSTDIR" ] || die "no trustdir binary at $TRUSTDIR (make build, or set TRUSTDIR)"
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)

# One benchmark at a time on the machine: two at once would share the cores
# (and perhaps the repositories). Each run has its own scratch space.
lock=${TMPDIR:-/tmp}/trustdir-bench.lock
exec 9>>"$lock"
if ! flock -n 9; then
	say "another bench/run.sh holds $lock; waiting for it to finish"
	flock 9
fi
SCRATCH=$(mktemp -d "$BENCH_DIR/trustdir-bench.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT

# ---- tools ------------------------------------------------------------------

# need COMMAND PACKAGE: installs Debian's PACKAGE when COMMAND is missing.
need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	say "installing $2"
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get install -y --no-install-recommends "$2" >&2 ||
		{ $sudo apt-get update >&2 && $sudo apt-get install -y --no-install-recommends "$2" >&2; }
	command -v "$1" >/dev/null 2>&1 || die "$1 is still missing after installing $2"
}
need hugo hugo
need /usr/bin/time time
need valgrind valgrind
need git git
need python3 python3
need cc gcc
# (f)'s program, built with the machine's C compiler.
LINKTREE=$SCRATCH/linktree
cc -O2 -o "$LINKTREE" "$here/linktree.c" || die "cannot build bench/linktree.c"

# ---- the repositories ---------------------------------------------------------

vendors_of() { case $1 in 1k) echo 1000 ;; 10k) echo 10000 ;; *) die "unknown size '$1' (1k or 10k)" ;; esac; }
commits_of() { case $1 in 1k) echo 5000 ;; 10k) echo 50000 ;; esac; }

# repo SIZE: makes $BENCH_DIR/rSIZE with gen-repo.py unless it is there; checks it.
repo() {
	local size=$1 r=$BENCH_DIR/r$1 n c
	n=$(vendors_of "$size")
	c=$(commits_of "$size")
	if [ ! -d "$r/.git" ]; then
		[ ! -e "$r" ] || [ -z "$(ls -A "$r")" ] || die "$r exists but is not a git repository; remove it"
		[ -f "$GEN_REPO" ] || die "gen-repo.py not found at $GEN_REPO (set GEN_REPO)"
		say "generating $r: $n vendors, $c commits (the 10k one takes about 2 minutes)"
		python3 "$GEN_REPO" "$r" --vendors "$n" --commits "$c" --hugo "$r/hugo" >&2
	fi
	local got_c got_n
	got_c=$(git -C "$r" rev-list --first-parent --count HEAD)
	got_n=$(git -C "$r" ls-tree --name-only HEAD vendors/ | grep -c / || true)
	[ "$got_c" = "$c" ] && [ "$got_n" = "$n" ] && [ -f "$r/hugo/hugo.toml" ] ||
		die "$r is not gen-repo.py --vendors $n --commits $c --hugo $r/hugo ($got_n vendors, $got_c commits); remove it"
}

# ---- timing -------------------------------------------------------------------

# measure RECORD NAME COMMAND...: runs COMMAND under /usr/bin/time, stdout to
# /dev/null (full-td's one line to $W/full-td.out); when RECORD is 1, appends
# "NAME wall user sys maxrss_kib" to $W/samples.txt.
measure() {
	local record=$1 name=$2 out=/dev/null
	shift 2
	[ "$name" = full-td ] && out=$W/full-td.out
	if ! /usr/bin/time -o "$W/time.txt" -f '%e %U %S %M' "$@" >"$out" 2>"$W/stderr.txt"; then
		cat "$W/stderr.txt" >&2
		die "$name failed: $*"
	fi
	local t
	t=$(tail -n 1 "$W/time.txt")
	[ "$record" = 1 ] && echo "$name $t" >>"$W/samples.txt"
	say "  $(printf '%-10s' "$name") ${t%% *} s$([ "$record" = 1 ] || echo ' (warm-up)')"
}

# A commit in the scratch copy that changes one vendor's website, with a
# fixed author and date, so that every run makes the same commit.
edit_vendor() {
	sed -i -E 's|("website": *"[^"]*)"|\1/trust"|' "$E/$EDIT_VENDOR/profile.json"
	git -C "$E" diff --quiet && die "the edit of $EDIT_VENDOR/profile.json changed nothing"
	GIT_AUTHOR_NAME="Bench Mark" GIT_AUTHOR_EMAIL=bench@example.org \
	GIT_COMMITTER_NAME="Bench Mark" GIT_COMMITTER_EMAIL=bench@example.org \
	GIT_AUTHOR_DATE="$EDIT_DATE" GIT_COMMITTER_DATE="$EDIT_DATE" \
	GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null \
		git -C "$E" commit -q -a --no-verify -m "${EDIT_VENDOR#vendors/}: website moves to /trust"
}
reset_edit() {
	git -C "$E" reset -q --hard "$EDIT_BASE"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# med NAME FIELD: the median of a field over the samples of NAME: wall,
# cpu (user+sys), rss (MiB), min and max (of wall).
med() {
	local f=$W/samples.txt
	case $2 in
	wall) awk -v n="$1" '$1 == n { print $2 }' "$f" | median ;;
	cpu) awk -v n="$1" '$1 == n { print $3 + $4 }' "$f" | median ;;
	rss) awk -v n="$1" '$1 == n { print $5 / 1024 }' "$f" | median ;;
	min) awk -v n="$1" '$1 == n { print $2 }' "$f" | sort -g | head -n 1 ;;
	max) awk -v n="$1" '$1 == n { print $2 }' "$f" | sort -g | tail -n 1 ;;
	esac
}

# ---- one size -----------------------------------------------------------------

# bench_size SIZE RUNS: times (a) to (e) RUNS times after a warm-up round and
# leaves $SCRATCH/SIZE/samples.txt and facts.txt.
bench_size() {
	local size=$1 runs=$2
	R=$BENCH_DIR/r$size
	W=$SCRATCH/$size
	E=$W/edit-repo
	local out_t=$W/out-trustdir out_h=$W/out-hugo out_e=$W/out-edit
	rm -rf "$W"
	mkdir -p "$W"
	: >"$W/samples.txt"
	echo "load_before $(cut -d' ' -f1-3 /proc/loadavg)" >"$W/facts.txt"

	say "$size: copying $R to $E for the one-vendor rebuild"
	mkdir "$E"
	cp -a "$R/." "$E/" # the contents: R may be a symbolic link
	EDIT_BASE=$(git -C "$E" rev-parse HEAD)
	EDIT_DATE="$(($(git -C "$E" log -1 --format=%ct) + 3600)) +0000"
	local list count
	list=$(git -C "$E" ls-tree --name-only HEAD vendors/ | grep / || true)
	count=$(echo "$list" | wc -l)
	EDIT_VENDOR=$(echo "$list" | sed -n "$((count / 2 + 1))p")
	echo "edit_vendor $EDIT_VENDOR" >>"$W/facts.txt"
	say "$size: building the site the one-vendor rebuild starts from"
	"$TRUSTDIR" build --repo "$E" --out "$out_e" >/dev/null

	local i rec
	for ((i = 0; i <= runs; i++)); do
		rec=1
		if [ "$i" = 0 ]; then rec=0; say "$size: warm-up round"; else say "$size: round $i of $runs"; fi
		# (a) and (b): full builds into fresh directories, trustdir without
		# anything it kept last time (the history, the vendors, the
		# members' table); the order swaps each round.
		rm -rf "$out_t" "$out_h" "$W/.trustdir-cache/out-trustdir."*
		if ((i % 2)); then
			measure $rec full-td "$TRUSTDIR" build --repo "$R" --out "$out_t"
			measure $rec full-hugo hugo --quiet -s "$R/hugo" -d "$out_h"
		else
			measure $rec full-hugo hugo --quiet -s "$R/hugo" -d "$out_h"
			measure $rec full-td "$TRUSTDIR" build --repo "$R" --out "$out_t"
		fi
		# (d): again into the site (a) just wrote, nothing changed.
		measure $rec noop-td "$TRUSTDIR" build --repo "$R" --out "$out_t"
		# (f): what a rebuild into a fresh tree of links would pay at least.
		measure $rec floor-fs "$LINKTREE" "$out_t" "$W/floor-copy"
		# (c): one new commit changing one vendor, into the site of its parent.
		edit_vendor
		measure $rec one-td "$TRUSTDIR" build --repo "$E" --out "$out_e"
		reset_edit
		"$TRUSTDIR" build --repo "$E" --out "$out_e" >/dev/null
		# (e): the history walk alone, beside git's.
		if ((i % 2)); then
			measure $rec log-td "$TRUSTDIR" log --repo "$R"
			measure $rec log-git git -C "$R" log --first-parent --name-only --format=%H HEAD
		else
			measure $rec log-git git -C "$R" log --first-parent --name-only --format=%H HEAD
			measure $rec log-td "$TRUSTDIR" log --repo "$R"
		fi
	done

	{
		echo "load_after $(cut -d' ' -f1-3 /proc/loadavg)"
		echo "runs $runs"
		echo "head $(git -C "$R" rev-parse --short=12 HEAD)"
		echo "du_td $(du -sh "$out_t" | cut -f1)"
		echo "du_hugo $(du -sh "$out_h" | cut -f1)"
		echo "files_td $(find "$out_t" -type f | wc -l)"
		echo "files_hugo $(find "$out_h" -type f | wc -l)"
		echo "built $(sed 's/ in .*//' "$W/full-td.out")"
	} >>"$W/facts.txt"
	rm -rf "$E"
}

fact() { awk -v k="$2" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "$SCRATCH/$1/facts.txt"; }

# ---- the deterministic workload -----------------------------------------------

# callgrind: instructions of one build of tests/fixtures/rich committed at a
# pinned date with a fixed identity; three runs, the median and the spread.
callgrind() {
	local c=$SCRATCH/callgrind i n
	rm -rf "$c"
	mkdir -p "$c/repo"
	cp -a "$root/tests/fixtures/rich/content" "$root/tests/fixtures/rich/vendors" "$c/repo/"
	(
		cd "$c/repo"
		export GIT_AUTHOR_NAME="Ada Example" GIT_AUTHOR_EMAIL=ada@example.org \
			GIT_COMMITTER_NAME="Ada Example" GIT_COMMITTER_EMAIL=ada@example.org \
			GIT_AUTHOR_DATE=2026-06-01T12:00:00Z GIT_COMMITTER_DATE=2026-06-01T12:00:00Z \
			GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
		git init -q -b main
		git add -A
		git commit -q -m "Add the directory"
	)
	CG_COMMIT=$(git -C "$c/repo" rev-parse HEAD)
	: >"$c/counts"
	for i in 1 2 3; do
		rm -rf "$c/out" "$c/.trustdir-cache"
		valgrind --tool=callgrind --callgrind-out-file=/dev/null \
			"$TRUSTDIR" build --repo "$c/repo" --out "$c/out" >/dev/null 2>"$c/stderr" ||
			{ cat "$c/stderr" >&2; die "trustdir under callgrind failed"; }
		n=$(sed -n 's/^==[0-9]*== Collected : \([0-9]*\).*/\1/p' "$c/stderr")
		[ -n "$n" ] || die "no 'Collected :' line in callgrind's output"
		echo "$n" >>"$c/counts"
		say "callgrind run $i: $n instructions"
	done
	CG_MEDIAN=$(median <"$c/counts")
	CG_MIN=$(sort -g "$c/counts" | head -n 1)
	CG_MAX=$(sort -g "$c/counts" | tail -n 1)
}

# ---- main ---------------------------------------------------------------------

declare -a size_list=() size_runs=()
IFS=, read -r -a specs <<<"$SIZES"
for s in "${specs[@]}"; do
	case $s in
	*:*) size_list+=("${s%%:*}"); size_runs+=("${s#*:}") ;;
	*) size_list+=("$s"); size_runs+=("$RUNS") ;;
	esac
	vendors_of "${size_list[-1]}" >/dev/null
	case ${size_runs[-1]} in '' | *[!0-9]* | 0) die "bad number of runs in '$s'" ;; esac
done

DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
UPTIME_START=$(uptime)
if [ -n "${TRUSTDIR_COMMIT:-}" ]; then
	COMMIT=$TRUSTDIR_COMMIT
else
	# The tree id too: it survives a rewrite of the history's authorship.
	COMMIT="$(git -C "$root" describe --always --dirty --abbrev=40 2>/dev/null || echo unknown)"
	COMMIT="$COMMIT (tree $(git -C "$root" rev-parse 'HEAD^{tree}' 2>/dev/null || echo unknown))"
fi

for s in "${size_list[@]}"; do repo "$s"; done
for k in "${!size_list[@]}"; do
	bench_size "${size_list[$k]}" "${size_runs[$k]}"
done
say "callgrind"
callgrind
UPTIME_END=$(uptime)

# ---- BENCHMARKS.md ------------------------------------------------------------

f2() { awk -v x="$1" 'BEGIN { printf "%.2f", x }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f%%", 100 * a / b }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# verdict VALUE OP LIMIT
verdict() { awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { ok = (op == "<=") ? (v <= l) : (v >= l); print ok ? "met" : "**not met**" }'; }

declare -A label=(
	[full-td]="trustdir full build (a)"
	[full-hugo]="Hugo full build (b)"
	[one-td]="trustdir rebuild, one vendor changed (c)"
	[noop-td]="trustdir rebuild, nothing changed (d)"
	[log-td]="trustdir log, the history walk alone (e)"
	[log-git]="git log --first-parent --name-only (e)"
	[floor-fs]="a fresh tree of the site's files, linked, and the old one removed (f)"
)

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem_total=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)

{
	echo "# Benchmarks"
	echo
	echo "Written by \`bench/run.sh\` (issue #6); see \`bench/README.md\` for what it does and how to run it."
	echo "Times are medians over the runs, after one warm-up round, with the programs alternating;"
	echo "\"user+sys\" is CPU time, \"peak RSS\" the maximum resident set size (\`/usr/bin/time -f '%e %U %S %M'\`)."
	echo
	echo "## Machine"
	echo
	echo "- date: $DATE"
	echo "- CPU: $cpu_model, $(nproc) cores (nproc)"
	echo "- RAM: $mem_total"
	echo "- kernel: $(uname -sr)"
	echo "- trustdir: $("$TRUSTDIR" --version | paste -sd "," - | sed "s/,/, /g"), commit $COMMIT, CMake Release"
	echo "- hugo: $(hugo version | head -n 1)"
	echo "- $(git --version)"
	echo "- $(valgrind --version)"
	echo "- load at the start: \`${UPTIME_START#"${UPTIME_START%%[! ]*}"}\`"
	echo "- load at the end: \`${UPTIME_END#"${UPTIME_END%%[! ]*}"}\`"
	echo
	echo "The machine is shared: other work was running, so the load averages above matter when"
	echo "reading the wall times. CPU time (user+sys) is less sensitive to it."
	echo
	for s in "${size_list[@]}"; do
		W=$SCRATCH/$s
		echo "## $s: $(vendors_of "$s") vendors, $(commits_of "$s") first-parent commits, $(fact "$s" runs) timed runs"
		echo
		echo "Repository \`gen-repo.py $BENCH_DIR/r$s --vendors $(vendors_of "$s") --commits $(commits_of "$s") --hugo $BENCH_DIR/r$s/hugo\`,"
		echo "HEAD $(fact "$s" head). trustdir: $(fact "$s" built). Load average (1, 5, 15 min)"
		echo "$(fact "$s" load_before) before, $(fact "$s" load_after) after."
		echo
		echo "| Measurement | Wall s, median | Wall s, min–max | User+sys s, median | Peak RSS MiB, median |"
		echo "|---|--:|--:|--:|--:|"
		for m in full-td full-hugo one-td noop-td log-td log-git floor-fs; do
			echo "| ${label[$m]} | $(f2 "$(med $m wall)") | $(f2 "$(med $m min)")–$(f2 "$(med $m max)") | $(f2 "$(med $m cpu)") | $(awk -v x="$(med $m rss)" 'BEGIN { printf "%.0f", x }') |"
		done
		echo
		echo "Output of one full build: trustdir $(fact "$s" du_td) in $(fact "$s" files_td) files;"
		echo "Hugo $(fact "$s" du_hugo) in $(fact "$s" files_hugo) files (\`du -sh\`, \`find -type f | wc -l\`)."
		echo
	done

	echo "## Against the targets of issue #6"
	echo
	printf '| Figure | Target |'
	for s in "${size_list[@]}"; do printf ' %s |' "$s"; done
	printf '\n|---|---|'
	for s in "${size_list[@]}"; do printf -- '---|'; done
	echo
	row() { # TITLE TARGET then per size "value verdict"
		local title=$1 target=$2
		shift 2
		printf '| %s | %s |' "$title" "$target"
		for v in "$@"; do printf ' %s |' "$v"; done
		echo
	}
	cells_time=() cells_mem=() cells_one=() cells_noop=() cells_log=() cells_floor=()
	for s in "${size_list[@]}"; do
		W=$SCRATCH/$s
		ft=$(med full-td wall) fh=$(med full-hugo wall)
		x=$(ratio "$fh" "$ft")
		cells_time+=("Hugo/trustdir = ${x}x: $(verdict "$x" '>=' 3)")
		x=$(ratio "$(med full-td rss)" "$(med full-hugo rss)")
		cells_mem+=("trustdir/Hugo = $x: $(verdict "$x" '<=' 0.5)")
		x=$(awk -v a="$(med one-td wall)" -v b="$ft" 'BEGIN { print a / b }')
		cells_one+=("$(pct "$(med one-td wall)" "$ft"): $(verdict "$x" '<=' 0.05)")
		cells_floor+=("$(pct "$(med floor-fs wall)" "$ft") (its CPU time: $(pct "$(med floor-fs cpu)" "$ft"))")
		x=$(awk -v a="$(med noop-td wall)" -v b="$ft" 'BEGIN { print a / b }')
		cells_noop+=("$(pct "$(med noop-td wall)" "$ft"): $(verdict "$x" '<=' 0.02)")
		x=$(ratio "$(med log-td wall)" "$(med log-git wall)")
		cells_log+=("${x}x: $(verdict "$x" '<=' 1) (≤ 2x: $(verdict "$x" '<=' 2))")
	done
	row "Full build, wall time vs Hugo (a, b)" "≥ 3x faster than Hugo" "${cells_time[@]}"
	row "Full build, peak RSS vs Hugo (a, b)" "≤ half of Hugo's" "${cells_mem[@]}"
	row "Rebuild, one vendor changed / full build (c / a)" "≤ 5%" "${cells_one[@]}"
	row "A fresh tree of links / full build (f / a)" "(what (c) would pay without the spare)" "${cells_floor[@]}"
	row "Rebuild, nothing changed / full build (d / a)" "≤ 2%" "${cells_noop[@]}"
	row "History walk: trustdir log / git log (e)" "≤ 1x (the history issue asks ≤ 2x first)" "${cells_log[@]}"
	echo
	have1=0 have10=0
	for s in "${size_list[@]}"; do [ "$s" = 1k ] && have1=1; [ "$s" = 10k ] && have10=1; done
	if [ $have1 = 1 ] && [ $have10 = 1 ]; then
		a=$(W=$SCRATCH/1k; med full-td wall)
		b=$(W=$SCRATCH/10k; med full-td wall)
		ha=$(W=$SCRATCH/1k; med full-hugo wall)
		hb=$(W=$SCRATCH/10k; med full-hugo wall)
		x=$(ratio "$b" "$a")
		echo "Scaling of the full build from 1k to 10k (target ≤ 11x): trustdir $(f2 "$b") s / $(f2 "$a") s = ${x}x: $(verdict "$x" '<=' 11)"
		echo "(Hugo: $(ratio "$hb" "$ha")x)."
	else
		echo "Scaling from 1k to 10k (target ≤ 11x): not measured in this run (it needs both sizes)."
	fi
	echo
	echo "## Instruction count (deterministic workload)"
	echo
	echo "\`tests/fixtures/rich\` (content/ and vendors/) committed into a new repository as one commit by"
	echo "\"Ada Example <ada@example.org>\" at 2026-06-01T12:00:00Z (commit $CG_COMMIT), then"
	echo
	echo '```'
	echo "valgrind --tool=callgrind --callgrind-out-file=/dev/null trustdir build --repo REPO --out OUT"
	echo '```'
	echo
	echo "into a new OUT, three times; \"Collected\" from callgrind's summary:"
	echo
	echo "| Workload | Instructions (Ir), median | min–max of 3 |"
	echo "|---|--:|--:|"
	echo "| trustdir build, rich fixture | $CG_MEDIAN | $CG_MIN–$CG_MAX |"
	echo
	echo "The three counts differ by $(awk -v a="$CG_MIN" -v b="$CG_MAX" 'BEGIN { printf "%.4f%%", 100 * (b - a) / a }') (temporary names, the clock); a change"
	echo "larger than that is the code's."
	echo
	echo "## Commands"
	echo
	echo "Per size, R is the repository and the OUT directories are under \`$SCRATCH/SIZE/\` (removed afterwards):"
	echo
	echo '```'
	echo "(a) rm -rf OUT .trustdir-cache/OUT.*; trustdir build --repo R --out OUT   # timed: the build only"
	echo "(b) rm -rf OUTH; hugo --quiet -s R/hugo -d OUTH                     # hugo.toml sets enableGitInfo"
	echo "(c) cp -a R E once; trustdir build --repo E --out OUTE once; then per run:"
	echo "    edit E/vendors/V/profile.json (website + /trust); git -C E commit -a   # fixed author and date"
	echo "    trustdir build --repo E --out OUTE                              # timed: into the parent's site, with its caches"
	echo "    git -C E reset --hard BASE; trustdir build --repo E --out OUTE"
	echo "(d) trustdir build --repo R --out OUT                               # into the site (a) wrote"
	echo "(f) linktree OUT COPY      # bench/linktree.c: mkdir and link every file of OUT into COPY, then remove COPY"
	echo "(e) trustdir log --repo R > /dev/null"
	echo "    git -C R log --first-parent --name-only --format=%H HEAD > /dev/null"
	echo '```'
	echo
	echo "Each timed command runs as \`/usr/bin/time -f '%e %U %S %M' COMMAND > /dev/null\`. A round is"
	echo "(a) and (b), (d), (f), (c), (e); (a)/(b) and the two of (e) swap order every round. The vendor changed in (c):"
	for s in "${size_list[@]}"; do printf '%s `%s`; ' "$s" "$(fact "$s" edit_vendor)"; done
	echo "the page cache is warm (every program ran once before the timed runs)."
	echo
	echo "<details><summary>Raw samples: name, wall s, user s, sys s, peak RSS KiB</summary>"
	echo
	for s in "${size_list[@]}"; do
		echo "$s:"
		echo
		echo '```'
		cat "$SCRATCH/$s/samples.txt"
		echo '```'
		echo
	done
	echo "</details>"
} >"$OUTPUT.tmp"
mv "$OUTPUT.tmp" "$OUTPUT"
say "wrote $OUTPUT"
