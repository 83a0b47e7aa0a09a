#!/usr/bin/env bash
# Runs every cgoguard check over a corpus of real-world cgo modules and
# prints, per module, how many findings each check reports (and any
# analyzer panic). A tool for the team, not part of `make test`: it needs
# the module proxy and the C libraries below.
#
# Usage: bench/corpus.sh [-t] [module-name-substring...]
#   -t   also time each package with the standalone driver (-debug=t) and
#        print the slowest analyzers
#
# Every finding has a reviewed verdict in bench/corpus-verdicts.tsv
# (module, file:line, check, verdict: true/false/debatable, one line why).
# After the run the script compares the findings with that file and prints
# the findings no one has judged yet and the judged ones that are gone, so
# a change to the engine shows up as a diff to review; then the verdict
# counts per check (BENCHMARKS.md reports them). Run it before landing an
# engine change, and read every new or gone finding.
#   CORPUS_DIR (default /tmp/cgoguard-corpus) holds the scratch module,
#   the tool and one log per module (findings in full).
#
# Debian packages the corpus needs (installed with apt-get when missing and
# apt-get is there and we are root; otherwise the modules that need them are
# reported as not built):
#   libpcap-dev libzmq3-dev librocksdb-dev libasound2-dev libssl-dev
#   libseccomp-dev libsystemd-dev libx11-dev libxrandr-dev libxinerama-dev
#   libxcursor-dev libxi-dev libgl-dev libxxf86vm-dev libvips-dev libsdl2-dev
#   portaudio19-dev pkg-config
# librocksdb-dev is 7.8 on Debian 12, hence grocksdb v1.7.10 (the last
# release for RocksDB 7.x that builds against it).
set -uo pipefail

timings=0
if [[ ${1:-} == -t ]]; then
	timings=1
	shift
fi
filters=("$@")
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${CORPUS_DIR:-/tmp/cgoguard-corpus}
mkdir -p "$dir"

apt_pkgs=(libpcap-dev libzmq3-dev librocksdb-dev libasound2-dev libssl-dev
	libseccomp-dev libsystemd-dev libx11-dev libxrandr-dev libxinerama-dev
	libxcursor-dev libxi-dev libgl-dev libxxf86vm-dev libvips-dev libsdl2-dev
	portaudio19-dev pkg-config)

# module@version, then the packages to analyse (the module's cgo packages
# that build on Linux without extra SDKs).
corpus=(
	"github.com/mattn/go-sqlite3@v1.14.53 github.com/mattn/go-sqlite3"
	"github.com/miekg/pkcs11@v1.1.2 github.com/miekg/pkcs11"
	"github.com/DataDog/zstd@v1.5.7 github.com/DataDog/zstd"
	"github.com/valyala/gozstd@v1.24.0 github.com/valyala/gozstd"
	"github.com/google/gopacket@v1.1.19 github.com/google/gopacket/pcap github.com/google/gopacket/afpacket"
	"github.com/pebbe/zmq4@v1.4.0 github.com/pebbe/zmq4"
	"github.com/libp2p/go-openssl@v0.1.0 github.com/libp2p/go-openssl"
	"github.com/linxGnu/grocksdb@v1.7.10 github.com/linxGnu/grocksdb"
	"github.com/go-gl/glfw/v3.3/glfw@v0.0.0-20260823155953-d41da22a9587 github.com/go-gl/glfw/v3.3/glfw"
	"github.com/hajimehoshi/oto@v1.0.1 github.com/hajimehoshi/oto"
	"github.com/confluentinc/confluent-kafka-go/v2@v2.11.1 github.com/confluentinc/confluent-kafka-go/v2/kafka"
	"github.com/seccomp/libseccomp-golang@v0.11.1 github.com/seccomp/libseccomp-golang"
	"github.com/mattn/go-pointer@v0.0.1 github.com/mattn/go-pointer"
	"github.com/karalabe/usb@v0.0.2 github.com/karalabe/usb"
	"github.com/coreos/go-systemd/v22@v22.7.0 github.com/coreos/go-systemd/v22/sdjournal github.com/coreos/go-systemd/v22/util github.com/coreos/go-systemd/v22/internal/dlopen"
	"github.com/godror/godror@v0.40.4 github.com/godror/godror"
	"github.com/apache/arrow-go/v18@v18.8.0 github.com/apache/arrow-go/v18/arrow/cdata"
	"github.com/yalue/onnxruntime_go@v1.27.0 github.com/yalue/onnxruntime_go"
	"github.com/ebitengine/oto/v3@v3.4.0 github.com/ebitengine/oto/v3"
	"github.com/davidbyttow/govips/v2@v2.16.0 github.com/davidbyttow/govips/v2/vips"
	"github.com/veandco/go-sdl2@v0.4.39 github.com/veandco/go-sdl2/sdl"
	"github.com/go-gl/gl@v0.0.0-20231021071112-07e5d0ea2e71 github.com/go-gl/gl/v4.6-core/gl"
	"github.com/gordonklaus/portaudio@v0.0.0-20250206071425-98a94950218b github.com/gordonklaus/portaudio"
	"github.com/chai2010/webp@v1.4.0 github.com/chai2010/webp"
)
checks=(cgomap cgoptr cgoretain cgofree cgoleak cgofinalizer cgohandle cgocallback cgoheader)

selected() {
	[[ ${#filters[@]} -eq 0 ]] && return 0
	local f
	for f in "${filters[@]}"; do
		[[ $1 == *"$f"* ]] && return 0
	done
	return 1
}

missing=()
for p in "${apt_pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
	if command -v apt-get >/dev/null && [[ $(id -u) -eq 0 ]]; then
		echo "installing ${missing[*]}" >&2
		apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null ||
			echo "apt-get failed; modules needing ${missing[*]} will not build" >&2
	else
		echo "missing ${missing[*]} (no apt-get or not root); modules needing them will not build" >&2
	fi
fi

(cd "$repo" && go build -o "$dir/cgoguard" ./cmd/cgoguard) || exit 1
cd "$dir"
[[ -f go.mod ]] || go mod init corpus >/dev/null 2>&1

printf '%-46s %5s' module secs
for c in "${checks[@]}"; do printf ' %12s' "$c"; done
printf '  %s\n' status
total=()
for entry in "${corpus[@]}"; do
	read -r modver pkgs <<<"$entry"
	mod=${modver%@*}
	selected "$mod" || continue
	log=$dir/$(echo "$mod" | tr '/' '_').log
	printf '%-46s' "$mod"
	# -t: vet analyses the test variants too, whose imports must resolve
	# (go get of each package, not the module, to get their dependencies).
	ok=1
	: >"$log"
	for p in $pkgs; do
		go get -t "$p@${modver#*@}" >>"$log" 2>&1 || ok=0
	done
	if [[ $ok -eq 0 ]] || ! go build $pkgs >>"$log" 2>&1; then
		printf ' %5s' -
		for c in "${checks[@]}"; do printf ' %12s' -; done
		printf '  not built (see %s)\n' "$log"
		continue
	fi
	start=$(date +%s)
	go vet -vettool="$dir/cgoguard" $pkgs >"$log" 2>&1
	rc=$?
	printf ' %5s' $(($(date +%s) - start))
	for i in "${!checks[@]}"; do
		n=$(grep -c ": ${checks[$i]}: " "$log")
		total[i]=$((${total[i]:-0} + n))
		printf ' %12s' "$n"
	done
	status=ok
	if grep -q -e '^panic:' -e 'goroutine [0-9]* \[running\]' "$log"; then
		status="PANIC (see $log)"
	elif [[ $rc -ne 0 ]] && ! grep -q ': cgo[a-z]*: ' "$log"; then
		status="vet failed (see $log)"
	fi
	printf '  %s\n' "$status"
	if [[ $timings -eq 1 ]]; then
		# The standalone driver prints each analyzer's time per package.
		# (-debug=tp: no parallelism, so the times are the analyzers' own.)
		"$dir/cgoguard" -debug=tp $pkgs 2>&1 | grep -P '^[0-9.]+[mµn]?s\t' | grep -v 'all others' | head -3 | sed 's/^/    /'
	fi
done
printf '%-46s %5s' total ''
for i in "${!checks[@]}"; do printf ' %12s' "${total[i]:-0}"; done
printf '\n'

# Compare with the reviewed verdicts (only when the whole corpus ran).
verdicts=$repo/bench/corpus-verdicts.tsv
found=$dir/findings.tsv
: >"$found"
for entry in "${corpus[@]}"; do
	read -r modver _ <<<"$entry"
	mod=${modver%@*}
	log=$dir/$(echo "$mod" | tr '/' '_').log
	[[ -f $log ]] || continue
	# /path/to/mod/MODULE@VERSION/dir/file.go:LINE:COL: CHECK: message
	# The module cache spells capitals as !lowercase (DataDog: !data!dog).
	esc=$(printf '%s' "$mod" | sed -E 's/([A-Z])/!\L\1/g; s/[.]/\\./g')
	sed -nE "s|^.*/$esc@[^/]*/([^:]+):([0-9]+):[0-9]+: (cgo[a-z]+): .*$|$mod\t\1:\2\t\3|p" "$log" >>"$found"
done
sort -u -o "$found" "$found"
if [[ ${#filters[@]} -eq 0 ]]; then
	touch "$verdicts"
	cut -f1-3 "$verdicts" | grep -v '^#' | sort -u >"$dir/judged.tsv"
	comm -23 "$found" "$dir/judged.tsv" >"$dir/new.tsv"
	comm -13 "$found" "$dir/judged.tsv" >"$dir/gone.tsv"
	printf '\n%d findings, %d not yet judged, %d judged but gone (verdicts: %s)\n' \
		"$(wc -l <"$found")" "$(wc -l <"$dir/new.tsv")" "$(wc -l <"$dir/gone.tsv")" "$verdicts"
	[[ -s $dir/new.tsv ]] && { echo "not yet judged (add a verdict line for each):"; sed 's/^/  /' "$dir/new.tsv"; }
	[[ -s $dir/gone.tsv ]] && { echo "judged but no longer reported:"; sed 's/^/  /' "$dir/gone.tsv"; }
	echo "verdicts of the findings reported now, per check:"
	awk -F'\t' 'NR==FNR { seen[$1 FS $2 FS $3] = 1; next }
		!/^#/ && ($1 FS $2 FS $3) in seen { n[$3 " " $4]++ }
		END { for (k in n) printf "  %-26s %d\n", k, n[k] }' "$found" "$verdicts" | sort
fi
