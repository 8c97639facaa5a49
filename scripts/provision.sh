#!/usr/bin/env bash
# provision.sh — install and start everything Outreach's tests need, when it is
# missing. Idempotent: safe to run on every CI run and on a developer machine.
#
#   PostgreSQL  127.0.0.1:5432 (trust auth, database "outreach_test")
#   Redis       127.0.0.1:6379 (maxmemory-policy noeviction)
#   sipp (sip-tester), baresip, kamailio, espeak-ng, sox  — third-party peers
#   libpocketsphinx-dev, pocketsphinx-en-us             — offline speech recognition (asr)
#   chromium                                            — console browser tests
#
# Override with OUTREACH_TEST_PG (a DSN) and OUTREACH_TEST_REDIS (host:port) to
# use servers elsewhere; then nothing is installed or started for them.
set -euo pipefail

log() { printf 'provision: %s\n' "$*" >&2; }

need_pkgs=()
want() { # want BINARY PACKAGE
	command -v "$1" >/dev/null 2>&1 || need_pkgs+=("$2")
}
want_file() { # want_file PATH PACKAGE — for libraries and data without a binary
	[[ -e "$1" ]] || need_pkgs+=("$2")
}

want sipp sip-tester
want baresip baresip
want kamailio kamailio
want espeak-ng espeak-ng
want sox sox
want chromium chromium
want_file /usr/share/fonts/truetype/wqy/wqy-microhei.ttc fonts-wqy-microhei   # Chinese glyphs in console screenshots
want_file /usr/include/pocketsphinx/pocketsphinx.h libpocketsphinx-dev     # asr: go test -tags pocketsphinx
want pkg-config pkg-config                                                # cgo flags of pocketsphinx
want gcc gcc
want_file /usr/share/pocketsphinx/model/en-us/en-us/mdef pocketsphinx-en-us
if [[ -z "${OUTREACH_TEST_PG:-}" ]]; then
	want psql postgresql-client
	[[ -d /etc/postgresql ]] || need_pkgs+=(postgresql)
fi
if [[ -z "${OUTREACH_TEST_REDIS:-}" ]]; then
	want redis-server redis-server
	want redis-cli redis-tools
fi

if ((${#need_pkgs[@]})); then
	if [[ $(id -u) -ne 0 ]]; then
		log "missing packages ${need_pkgs[*]}: run this script as root (or: sudo apt-get install ${need_pkgs[*]})"
		exit 1
	fi
	log "installing ${need_pkgs[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # wait_port PORT NAME
	for _ in $(seq 1 100); do
		port_open "$1" && return 0
		sleep 0.1
	done
	log "$2 did not start on 127.0.0.1:$1"
	return 1
}

if [[ -z "${OUTREACH_TEST_PG:-}" ]]; then
	if ! port_open 5432; then
		log "starting PostgreSQL"
		ver=$(ls /etc/postgresql | sort -V | tail -1)
		conf=/etc/postgresql/$ver/main
		# Trust local TCP connections: a test machine only.
		if ! grep -q '^host all all 127.0.0.1/32 trust' "$conf/pg_hba.conf"; then
			sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\nlocal all all trust' "$conf/pg_hba.conf"
		fi
		pg_ctlcluster --skip-systemctl-redirect "$ver" main start || pg_ctlcluster "$ver" main start
		wait_port 5432 PostgreSQL
	fi
	psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='outreach_test'" | grep -q 1 ||
		psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE outreach_test" >/dev/null
fi

if [[ -z "${OUTREACH_TEST_REDIS:-}" ]]; then
	if ! port_open 6379; then
		log "starting Redis"
		mkdir -p /var/lib/redis /var/log/redis
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
			--maxmemory-policy noeviction --dir /var/lib/redis --logfile /var/log/redis/outreach.log
		wait_port 6379 Redis
	fi
fi
log "ready"
