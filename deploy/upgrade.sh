#!/usr/bin/env bash
# Upgrade an install in one command: stop the services, back up, take the new code, install its packages, migrate,
# collect static files, check, start the services again (docs/deploy.md, "Copias de seguridad, restauración y
# actualización"). Run as root from the install's folder:
#   deploy/upgrade.sh v0.2.0     # a release tag (recommended)
#   deploy/upgrade.sh            # the newest commit of the branch checked out
# Environment: CENTINELA_MANAGE  how to run manage.py (default: "sudo -u centinela centinela-manage" when that
#              wrapper exists, else ".venv/bin/python manage.py"); CENTINELA_SERVICES  the systemd units to stop and
#              start (default: centinela-web centinela-worker centinela-monitor; empty: none).
set -Eeuo pipefail
cd "$(dirname "$0")/.."
ref=${1:-}
services=${CENTINELA_SERVICES-centinela-web centinela-worker centinela-monitor}
if [ -z "${CENTINELA_MANAGE:-}" ]; then
  if command -v centinela-manage >/dev/null && id centinela >/dev/null 2>&1; then
    CENTINELA_MANAGE="sudo -u centinela centinela-manage"
  else
    CENTINELA_MANAGE=".venv/bin/python manage.py"
  fi
fi
manage() { $CENTINELA_MANAGE "$@"; }
say() { printf '== %s\n' "$*"; }

previous=$(git rev-parse HEAD)
stage=start
backup_file=""
on_error() {
  echo "" >&2
  echo "La actualización falló (etapa: $stage). / The upgrade failed (stage: $stage)." >&2
  if [ "$stage" = finish ]; then
    echo "Las migraciones se aplicaron; los servicios siguen detenidos. Corrija la causa y ejecute de nuevo" >&2
    echo "deploy/upgrade.sh, o vuelva atrás:" >&2
  fi
  if [ "$stage" = migrate ]; then
    echo "La base de datos pudo quedar a medio migrar; los servicios siguen detenidos. Para volver atrás:" >&2
  fi
  if [ "$stage" = migrate ] || [ "$stage" = finish ]; then
    echo "  git checkout $previous && .venv/bin/pip install -q -c requirements.lock -e ." >&2
    echo "  $CENTINELA_MANAGE restore $backup_file --force" >&2
    echo "  systemctl start $services" >&2
  else
    echo "La base de datos no se tocó: se vuelve al código anterior ($previous) y se arrancan los servicios." >&2
    git checkout -q "$previous" && .venv/bin/pip install -q -c requirements.lock -e . \
      && .venv/bin/python scripts/compilemessages.py >/dev/null || true
    [ -z "$services" ] || systemctl start $services || true
  fi
}
trap on_error ERR

if [ -n "$services" ]; then
  say "deteniendo / stopping: $services"
  systemctl stop $services
fi

stage=backup
say "copia de seguridad / backup"
out=$(manage backup)
echo "$out"
backup_file=$(printf '%s\n' "$out" | sed -n 's/^[^:]*: \(\/[^ ]*\.tar\.gz\) .*/\1/p' | head -1)

stage=code
say "código / code: ${ref:-$(git rev-parse --abbrev-ref HEAD)}"
git fetch -q --tags origin
if [ -n "$ref" ]; then
  git checkout -q "$ref"
else
  git pull -q --ff-only
fi
.venv/bin/pip install -q -c requirements.lock -e .
.venv/bin/python scripts/compilemessages.py >/dev/null

stage=migrate
say "migraciones / migrations"
manage migrate --noinput

stage=finish
say "archivos estáticos / static files"
manage collectstatic --noinput -v0
manage check --deploy

trap - ERR
if [ -n "$services" ]; then
  say "arrancando / starting: $services"
  systemctl start $services
fi
say "actualizado de / upgraded from ${previous:0:12} a / to $(git describe --tags --always) (copia / backup: ${backup_file:-?})"
