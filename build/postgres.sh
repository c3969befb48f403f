#!/usr/bin/env bash
# PostgreSQL 15 + pgvector for tests and benchmarks, without Docker or systemd. Sourced by
# build/test.sh and build/bench-postgres.sh; defines:
#   pg_install                 installs postgresql-15 (apt) and builds pgvector once; fast when present
#   pg_start DIR PORT [fast]   inits a throwaway cluster in DIR and starts it on 127.0.0.1:PORT
#                              ("fast": fsync off, for tests only); sets PG_CONNECTION (superuser)
#   pg_stop DIR                stops that server by the PID in its postmaster.pid and waits for it
# Root may not run the server, so initdb and pg_ctl run as the postgres user, in a folder it owns.

PG_BIN=/usr/lib/postgresql/15/bin
PG_SHARE=/usr/share/postgresql/15

pg_install() {
  local need=()
  [ -x "$PG_BIN/initdb" ] || need+=(postgresql-15)
  if [ ! -f "$PG_SHARE/extension/vector.control" ]; then
    # Only building pgvector needs the server headers and a compiler.
    [ -f /usr/include/postgresql/15/server/postgres.h ] || need+=(postgresql-server-dev-15)
    command -v make >/dev/null 2>&1 || need+=(make)
    command -v gcc >/dev/null 2>&1 || need+=(gcc)
  fi

  if [ ${#need[@]} -gt 0 ]; then
    echo "Installing PostgreSQL packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi

  [ -f "$PG_SHARE/extension/vector.control" ] || pg_build_vector
}

# pgvector has no Debian 12 package: build the source package of the next Debian release (trixie)
# against the PostgreSQL 15 headers. A private sources list keeps the machine's apt setup untouched.
pg_build_vector() {
  echo "Building pgvector from the Debian trixie source package"
  local work uri
  work=$(mktemp -d)
  uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '/^deb / { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$uri" ] || uri=http://deb.debian.org/debian
  chmod 755 "$work"
  mkdir -p "$work/lists/partial"
  echo "deb-src $uri trixie main" >"$work/sources.list"
  local apt_opts=(-o APT::Sandbox::User=root -o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=-" -o "Dir::State::lists=$work/lists")
  apt-get "${apt_opts[@]}" update -qq
  (cd "$work" && apt-get "${apt_opts[@]}" source --download-only -qq pgvector >/dev/null)
  mkdir "$work/src"
  tar -xf "$work"/pgvector_*.orig.tar.* -C "$work/src" --strip-components=1
  # OPTFLAGS="": no -march=native, so the library runs on any x86-64 this machine image moves to.
  make -s -C "$work/src" OPTFLAGS="" with_llvm=no PG_CONFIG="$PG_BIN/pg_config" >/dev/null
  make -s -C "$work/src" install OPTFLAGS="" with_llvm=no PG_CONFIG="$PG_BIN/pg_config" >/dev/null
  rm -rf "$work"
}

pg_start() {
  local dir=$1 port=$2 mode=${3:-}
  mkdir -p "$dir"
  chown postgres:postgres "$dir"
  chmod 700 "$dir"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  local settings="-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=400"
  if [ "$mode" = fast ]; then
    # A throwaway test server: durability is not what the tests measure.
    settings="$settings -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  # A crashed postmaster can leave its pid file behind; this folder is new, so there is none here.
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$settings" start >/dev/null
  PG_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
}

pg_stop() {
  local dir=$1 pid
  [ -f "$dir/data/postmaster.pid" ] || return 0
  pid=$(head -n 1 "$dir/data/postmaster.pid")
  # SIGINT is PostgreSQL's "fast" shutdown: sessions are ended, no waiting for clients.
  kill -INT "$pid" 2>/dev/null || true
  for _ in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
}
