#!/bin/sh
# Runs every target for $1 seconds (default 60), two at a time, from prebuilt binaries
# (`cargo +nightly fuzz build -O` first). Crashes land in artifacts/TARGET/.
cd "$(dirname "$0")"
secs=${1:-60}
bin=target/x86_64-unknown-linux-gnu/release
# Seeds from the samples for a target whose corpus is still empty.
seed() {
    dir=corpus/$1
    mkdir -p $dir
    [ -n "$(ls $dir)" ] && return
    shift
    for pat in "$@"; do
        find ../samples ../tests -name "$pat" -size -256k -exec cp {} $dir/ \; 2>/dev/null
    done
}
for t in csv text xmltext mail pdf zip json media; do
    case $t in
        csv) seed $t '*.csv' '*.tsv' ;;
        text) seed $t '*.txt' '*.log' ;;
        xmltext) seed $t '*.xml' '*.html' ;;
        mail) seed $t '*.eml' ;;
        pdf) seed $t '*.pdf' ;;
        zip) seed $t '*.zip' '*.docx' '*.xlsx' '*.pptx' '*.odt' '*.ods' ;;
        json) seed $t '*.json' '*.jsonl' ;;
        media) seed $t "*.png" "*.jpg" "*.wav" "*.mp3" "*.amr" ;;
    esac
done
run() {
    mkdir -p artifacts/$1 corpus/$1 logs
    $bin/$1 corpus/$1 -max_total_time=$secs -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
        -artifact_prefix=artifacts/$1/ > logs/$1.log 2>&1
    echo "$1: exit $? $(grep -a -c 'SUMMARY\|crash-\|timeout-\|oom-' logs/$1.log) problem lines"
}
for pair in "csv text" "xmltext mail" "pdf zip" "json media"; do
    for t in $pair; do run $t & done
    wait
done
