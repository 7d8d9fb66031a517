#!/usr/bin/env bash
# Checks image/ without a Raspberry Pi and without a release build: shellcheck on every script,
# `systemd-analyze verify` on every unit, and image/install.sh run into a temporary root with a
# stand-in binary: the files, owners and modes it writes, that a second run changes nothing,
# that --dry-run changes nothing, that --update keeps the previous binary and --rollback puts it
# back, that a plain run removes the hotspot and kiosk again, the USB helper's refusals and the
# polkit rule's answers. Installs shellcheck and systemd with apt-get when missing (CI is root).
#
# Usage: bash image/check.sh      (as root: useradd --root and chown need it; CI is root)
# Exit status 0 when everything passed; otherwise it prints what failed and exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$(id -u)" -eq 0 ] || { echo "image/check.sh: run it as root (it installs into a temporary root)" >&2; exit 1; }
failures=0
ok() { printf 'ok    %s\n' "$*"; }
fail() { printf 'FAIL  %s\n' "$*"; failures=$((failures + 1)); }
# expect DESCRIPTION COMMAND...: the command must succeed.
expect() {
  local what=$1
  shift
  if "$@"; then ok "$what"; else fail "$what"; fi
}

missing=()
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
command -v useradd >/dev/null 2>&1 || missing+=(passwd)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "-- shellcheck"
scripts=(image/*.sh image/files/lib/usb)
for script in "${scripts[@]}"; do
  expect "shellcheck $script" shellcheck "$script"
  expect "$script starts with #!/usr/bin/env bash and set -euo pipefail" \
    grep -q '^set -euo pipefail$' "$script"
  [ "$(head -n1 "$script")" = '#!/usr/bin/env bash' ] || fail "$script: first line is not #!/usr/bin/env bash"
done

# --- a temporary root that stands for a fresh Debian system ----------------------------------
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root/etc" "$root/usr/lib/systemd" "$root/usr/bin" "$root/usr/sbin" "$root/boot/firmware"
printf 'root:x:0:0:root:/root:/bin/bash\n' >"$root/etc/passwd"
printf 'root:x:0:\nvideo:x:44:\n' >"$root/etc/group"
printf 'root:*:19000:0:99999:7:::\n' >"$root/etc/shadow"
printf 'root:*::\nvideo:!::\n' >"$root/etc/gshadow"
chmod 0640 "$root/etc/shadow" "$root/etc/gshadow"
printf 'console=tty1 root=/dev/mmcblk0p2 rootwait\n' >"$root/boot/firmware/cmdline.txt"
# systemd's own units (targets, getty@) so verify resolves the dependencies of ours, as on a
# real system; and stand-ins for the programs the units start that a Debian system would have
# (cage from Debian, timeout from coreutils, nologin): verify checks that they are executable.
cp -r /lib/systemd/system "$root/usr/lib/systemd/"
for program in usr/bin/cage usr/bin/chromium usr/bin/timeout usr/sbin/nologin; do
  cp /bin/true "$root/$program"
done
# The binary: the debug build when there is one, else a small stand-in (CI does not wait for a
# release build to check the installer).
if [ -x target/debug/cartable ]; then binary=target/debug/cartable; else binary=$work/cartable; cp /bin/true "$binary"; fi
second=$work/cartable-next
cp /bin/false "$second"
printf '%s\n' 'correct horse battery' >"$work/wifi-password"

# snapshot: every path under the root with type, mode, owner, size, modification time and
# content hash, so "nothing changed" means nothing at all.
snapshot() {
  (cd "$root" && find . -printf '%y %m %U:%G %s %T@ %p\n' | sort -k7) >"$1"
  (cd "$root" && find . -type f -exec sha256sum {} + | sort -k2) >>"$1"
}

install_full=(image/install.sh --root "$root" --binary "$binary" --no-admin
  --hotspot --ssid "Cartable Lycée" --wifi-password-file "$work/wifi-password" --kiosk)

echo "-- install.sh --dry-run into an empty root"
snapshot "$work/before"
if "${install_full[@]}" --dry-run >"$work/dry.log" 2>&1; then ok "dry-run exits 0"; else fail "dry-run failed:"; cat "$work/dry.log"; fi
snapshot "$work/after"
expect "dry-run changed nothing" cmp -s "$work/before" "$work/after"
expect "dry-run says what it would write" grep -q '(dry-run) write /usr/local/bin/cartable' "$work/dry.log"

echo "-- install.sh into the root (hotspot and kiosk)"
if "${install_full[@]}" >"$work/first.log" 2>&1; then ok "install exits 0"; else fail "install failed:"; cat "$work/first.log"; fi

uid=$(awk -F: '$1 == "cartable" { print $3 }' "$root/etc/passwd")
gid=$(awk -F: '$1 == "cartable" { print $3 }' "$root/etc/group")
if [ -n "$uid" ] && [ -n "$gid" ]; then ok "cartable user ($uid) and group ($gid) in the root's passwd and group"; else fail "no cartable user or group in $root/etc"; fi
expect "cartable has no login shell and lives in /var/lib/cartable" \
  grep -qx "cartable:x:$uid:$gid:cartable:/var/lib/cartable:/usr/sbin/nologin" "$root/etc/passwd"
expect "cartable-kiosk user exists, in group video" grep -q '^video:x:44:cartable-kiosk$' "$root/etc/group"

# has TYPE MODE OWNER PATH
has() {
  local got
  got=$(stat -c '%F %a %u:%g' "$root$4" 2>/dev/null || echo missing)
  if [ "$got" = "$1 $2 $3" ]; then ok "$4 ($2 $3)"; else fail "$4: expected $1 $2 $3, found $got"; fi
}
f='regular file' d=directory
has "$f" 755 0:0 /usr/local/bin/cartable
has "$d" 750 "$uid:$gid" /var/lib/cartable
has "$d" 755 0:0 /etc/cartable
has "$f" 640 "0:$gid" /etc/cartable/cartable.toml
has "$f" 644 0:0 /etc/systemd/system/cartable.service
has "$f" 644 0:0 /etc/systemd/system/cartable.service.d/low-port.conf
has "$f" 644 0:0 /etc/systemd/system/cartable-eject@.service
has "$f" 644 0:0 /etc/systemd/system/cartable-backup.service
has "$f" 644 0:0 /etc/systemd/system/cartable-backup.timer
has "$f" 644 0:0 /etc/systemd/system/cartable-sync.service
has "$f" 644 0:0 /etc/systemd/system/cartable-sync.timer
has "$d" 750 "$uid:$gid" /var/backups/cartable
has "$f" 644 0:0 /etc/systemd/system/cartable-kiosk.service
has "$f" 644 0:0 /etc/systemd/journald.conf.d/cartable.conf
has "$f" 644 0:0 /etc/udev/rules.d/80-cartable-usb.rules
has "$f" 644 0:0 /etc/polkit-1/rules.d/50-cartable-eject.rules
has "$f" 755 0:0 /usr/local/lib/cartable/usb
has "$d" 755 0:0 /media/cartable
has "$f" 600 0:0 /etc/NetworkManager/system-connections/cartable-hotspot.nmconnection
has "$f" 644 0:0 /etc/NetworkManager/dnsmasq-shared.d/cartable.conf
has "$f" 644 0:0 /etc/cartable/kiosk.env
has "$f" 644 0:0 /etc/chromium/policies/managed/cartable-kiosk.json
expect "the installed binary is the one given" cmp -s "$binary" "$root/usr/local/bin/cartable"
expect "cartable.service is enabled" \
  test "$(readlink "$root/etc/systemd/system/multi-user.target.wants/cartable.service")" = /etc/systemd/system/cartable.service
expect "cartable-backup.timer is enabled (daily backup)" \
  test "$(readlink "$root/etc/systemd/system/timers.target.wants/cartable-backup.timer")" = /etc/systemd/system/cartable-backup.timer
expect "cartable-sync.timer is enabled (hourly sync from a hub, idle without hub.env)" \
  test "$(readlink "$root/etc/systemd/system/timers.target.wants/cartable-sync.timer")" = /etc/systemd/system/cartable-sync.timer
expect "cartable-kiosk.service is enabled" test -L "$root/etc/systemd/system/multi-user.target.wants/cartable-kiosk.service"
expect "the kiosk's console never blanks" grep -q 'consoleblank=0' "$root/boot/firmware/cmdline.txt"

config=$root/etc/cartable/cartable.toml
# Keys cartable knows (src/config.rs), plus hotspot, which only --hotspot writes.
unknown=$(grep -Ev '^[[:space:]]*(#|$)' "$config" | sed 's/[[:space:]]*=.*//' |
  grep -Evx 'listen|data|school_name|mdns_name|max_upload_mb|session_hours|print_command|office_command|hotspot' || true)
if [ -z "$unknown" ]; then ok "configuration has only keys cartable knows"; else fail "unknown keys in cartable.toml: $unknown"; fi
expect "configuration listens on port 80 for the hotspot" grep -qx 'listen = "0.0.0.0:80"' "$config"
expect "configuration has hotspot = true" grep -qx 'hotspot = true' "$config"
expect "configuration's data folder" grep -qx 'data = "/var/lib/cartable"' "$config"
connection=$root/etc/NetworkManager/system-connections/cartable-hotspot.nmconnection
has_lines() {
  local file=$1 line
  shift
  for line in "$@"; do grep -qxF "$line" "$file" || return 1; done
}
expect "hotspot: access point, band bg, shared, 10.42.0.1/24" \
  has_lines "$connection" mode=ap band=bg method=shared address1=10.42.0.1/24 "ssid=Cartable Lycée"
expect "hotspot: WPA2 password from the file" grep -qx 'psk=correct horse battery' "$connection"
expect "hotspot: every name resolves to the Pi" grep -qx 'address=/#/10.42.0.1' "$root/etc/NetworkManager/dnsmasq-shared.d/cartable.conf"
expect "kiosk: default URL, the kiosk page on the server's port" grep -qx 'KIOSK_URL=http://127.0.0.1:80/kiosque' "$root/etc/cartable/kiosk.env"

echo "-- systemd-analyze verify (inside the root)"
for unit in cartable.service cartable-eject@media-cartable-CLE.service cartable-kiosk.service \
  cartable-backup.service cartable-backup.timer cartable-sync.service cartable-sync.timer; do
  # verify exits 0 on warnings such as an unknown key: any output at all is a failure here.
  if output=$(systemd-analyze verify --root="$root" "$unit" 2>&1) && [ -z "$output" ]; then
    ok "verify $unit"
  else
    fail "verify $unit: $output"
  fi
done

echo "-- install.sh a second time: nothing changes"
snapshot "$work/before"
if "${install_full[@]}" >"$work/second.log" 2>&1; then ok "second install exits 0"; else fail "second install failed:"; cat "$work/second.log"; fi
snapshot "$work/after"
if cmp -s "$work/before" "$work/after"; then ok "second install changed nothing"; else fail "second install changed:"; diff "$work/before" "$work/after" || true; fi
expect "second install says so" grep -q 'Rien à changer' "$work/second.log"

echo "-- --dry-run with other options on the installed root: nothing changes"
image/install.sh --root "$root" --binary "$second" --no-admin --port 9000 --dry-run >"$work/dry2.log" 2>&1 || fail "dry-run on the installed root failed"
snapshot "$work/after"
expect "dry-run changed nothing" cmp -s "$work/before" "$work/after"
expect "dry-run would replace the binary" grep -q '(dry-run) write /usr/local/bin/cartable' "$work/dry2.log"

echo "-- --update keeps the previous binary, --rollback swaps them back"
image/install.sh --root "$root" --update --binary "$second" >"$work/update.log" 2>&1 || { fail "update failed"; cat "$work/update.log"; }
expect "update installs the new binary" cmp -s "$second" "$root/usr/local/bin/cartable"
expect "update keeps the previous one" cmp -s "$binary" "$root/usr/local/lib/cartable/cartable.previous"
image/install.sh --root "$root" --rollback >"$work/rollback.log" 2>&1 || { fail "rollback failed"; cat "$work/rollback.log"; }
expect "rollback puts the previous binary back" cmp -s "$binary" "$root/usr/local/bin/cartable"
expect "rollback keeps the newer one as previous" cmp -s "$second" "$root/usr/local/lib/cartable/cartable.previous"
has "$f" 755 0:0 /usr/local/bin/cartable

echo "-- a plain install removes the hotspot and the kiosk"
image/install.sh --root "$root" --binary "$binary" --no-admin >"$work/plain.log" 2>&1 || { fail "plain install failed"; cat "$work/plain.log"; }
for gone in /etc/systemd/system/cartable.service.d/low-port.conf /etc/systemd/system/cartable-kiosk.service \
  /etc/systemd/system/multi-user.target.wants/cartable-kiosk.service /etc/cartable/kiosk.env \
  /etc/NetworkManager/system-connections/cartable-hotspot.nmconnection /etc/NetworkManager/dnsmasq-shared.d/cartable.conf; do
  if [ -e "$root$gone" ] || [ -L "$root$gone" ]; then fail "$gone still there"; else ok "$gone removed"; fi
done
expect "configuration back on port 8080" grep -qx 'listen = "0.0.0.0:8080"' "$config"
expect "hotspot key commented out" grep -q '^# hotspot = true' "$config"
if [ "$binary" = target/debug/cartable ]; then
  # With a real binary at hand: cartable itself accepts the configuration install.sh wrote.
  expect "cartable reads the written configuration" \
    env CARTABLE_MDNS_NAME= "$binary" --config "$config" --data "$work/data" user list
fi
if output=$(systemd-analyze verify --root="$root" cartable.service 2>&1) && [ -z "$output" ]; then
  ok "cartable.service still verifies without the drop-in"
else
  fail "verify cartable.service without the drop-in: $output"
fi

echo "-- the USB helper refuses what is not a stick under /media/cartable"
for path in /etc /media/cartable /media/cartable/../../etc /media/cartable/a/b /media/cartablex; do
  if out=$(image/files/lib/usb eject "$path" 2>&1); then fail "usb eject $path accepted"; else
    case "$out" in *"refusing"* | *"not mounted"*) ok "usb eject $path refused: $out" ;; *) fail "usb eject $path: $out" ;; esac
  fi
done
if image/files/lib/usb mount '../sda1' >/dev/null 2>&1; then fail "usb mount ../sda1 accepted"; else ok "usb mount ../sda1 refused"; fi

echo "-- the polkit rule"
if command -v node >/dev/null 2>&1; then
  if out=$(node - image/files/polkit/50-cartable-eject.rules <<'JS' 2>&1
const rules = [];
const polkit = { Result: { YES: "yes", NOT_HANDLED: null }, addRule: (r) => rules.push(r) };
new Function("polkit", require("fs").readFileSync(process.argv[2], "utf8"))(polkit);
const ask = (user, unit, verb, id = "org.freedesktop.systemd1.manage-units") =>
  rules[0]({ id, lookup: (k) => ({ unit, verb })[k] }, { user });
const cases = [
  ["cartable", "cartable-eject@media-cartable-CLE.service", "start", "yes"],
  ["cartable", "cartable-eject@media-cartable-CLE.service", "stop", null],
  ["cartable", "cartable.service", "start", null],
  ["cartable", "ssh.service", "stop", null],
  ["cartable", "cartable-eject@x.service.d/../../ssh.service", "start", null],
  ["www-data", "cartable-eject@media-cartable-CLE.service", "start", null],
];
let bad = 0;
for (const [user, unit, verb, want] of cases) {
  const got = ask(user, unit, verb);
  if (got !== want) { bad++; console.log(`${user} ${verb} ${unit}: ${got}, expected ${want}`); }
}
if (ask("cartable", "cartable-eject@a.service", "start", "org.freedesktop.login1.reboot") !== null) { bad++; console.log("reboot allowed"); }
process.exit(bad ? 1 : 0);
JS
  ); then ok "polkit rule: cartable may start cartable-eject@*.service and nothing else"; else fail "polkit rule: $out"; fi
else
  echo "(node missing: polkit rule not evaluated)"
fi

echo
if [ "$failures" -eq 0 ]; then
  echo "image/check.sh: all checks passed"
else
  echo "image/check.sh: $failures check(s) failed"
  exit 1
fi
