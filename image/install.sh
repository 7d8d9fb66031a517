#!/usr/bin/env bash
# Installs cartable as the resource point of a Raspberry Pi OS Lite (64-bit) or Debian 12
# machine: the `cartable` system user, the binary, its data folder and configuration, a hardened
# systemd service, small journald limits, USB stick automounting and ejecting, and optionally a
# Wi-Fi hotspot with a captive portal and a kiosk screen. Safe to run again: what is already as
# asked is left alone, and it says what it changes.
#
# Usage (as root):
#   image/install.sh [--binary PATH] [--port N] [--school-name NAME] [--admin LOGIN | --no-admin]
#                    [--hotspot --ssid NAME [--wifi-password-file FILE]]
#                    [--kiosk [--kiosk-url URL]] [--root DIR] [--dry-run]
#   image/install.sh --update --binary PATH    only replaces the binary (the old one is kept) and restarts
#   image/install.sh --rollback                swaps the binary with the kept one and restarts
#
#   --binary PATH   default: target/dist/cartable-<this machine's arch>, made by image/build.sh
#   --port N        default 8080; --hotspot needs 80 (phones probe port 80) and sets it
#   --root DIR      installs into DIR (an image being built, or a test): no apt-get, no systemctl
#                   start, no first admin; users are added with `useradd --root DIR`
#   --dry-run       prints what would change and changes nothing
# Options describe the whole wanted state: a hotspot or kiosk set up before and not asked for
# again is removed. The full guide is image/README.md.
set -euo pipefail

readonly usb_base=/media/cartable
readonly hotspot_address=10.42.0.1
here=$(cd "$(dirname "$0")" && pwd)
readonly here files="$here/files"

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "install.sh: $*" >&2; exit 1; }
say() { printf '%s\n' "$*" >&2; }

mode=install binary="" port="" school_name="" admin_login="" no_admin=false
hotspot=false ssid="" wifi_password_file="" kiosk=false kiosk_url="" root=/ dry_run=false
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary=${2:?--binary needs a path}; shift ;;
    --port) port=${2:?--port needs a number}; shift ;;
    --school-name) school_name=${2:?--school-name needs a name}; shift ;;
    --admin) admin_login=${2:?--admin needs a login}; shift ;;
    --no-admin) no_admin=true ;;
    --hotspot) hotspot=true ;;
    --ssid) ssid=${2:?--ssid needs a name}; shift ;;
    --wifi-password-file) wifi_password_file=${2:?--wifi-password-file needs a file}; shift ;;
    --kiosk) kiosk=true ;;
    --kiosk-url) kiosk_url=${2:?--kiosk-url needs a URL}; shift ;;
    --root) root=${2:?--root needs a folder}; shift ;;
    --dry-run) dry_run=true ;;
    --update) mode=update ;;
    --rollback) mode=rollback ;;
    -h | --help) usage ;;
    *) echo "install.sh: unknown option $1" >&2; usage ;;
  esac
  shift
done

# --- checks -----------------------------------------------------------------------------------
[ -d "$root" ] || die "--root $root is not a folder"
root=$(cd "$root" && pwd)
# Every path below is "$prefix/..." : the real root gives "/etc/...", a test root "DIR/etc/...".
prefix=${root%/}
host=true
[ -z "$prefix" ] || host=false
[ -f "$prefix/etc/passwd" ] || die "$root has no etc/passwd: not a system root"
if ! $dry_run && [ "$(id -u)" -ne 0 ]; then die "run it as root (sudo), or with --dry-run"; fi

if [ -z "$binary" ] && [ "$mode" != rollback ]; then
  case "$(uname -m)" in
    aarch64 | arm64) binary="$here/../target/dist/cartable-aarch64" ;;
    x86_64 | amd64) binary="$here/../target/dist/cartable-x86_64" ;;
    *) die "no cartable build for $(uname -m): give --binary" ;;
  esac
fi
if [ "$mode" != rollback ]; then
  if ! { [ -f "$binary" ] && [ -x "$binary" ]; }; then
    die "binary $binary missing or not executable (image/build.sh makes it)"
  fi
fi
if $hotspot; then
  [ -n "$ssid" ] || die "--hotspot needs --ssid NAME"
  if [ "${#ssid}" -gt 32 ] || [[ $ssid == *[$'\n\r']* ]]; then die "--ssid: at most 32 characters on one line"; fi
  [ -z "$port" ] || [ "$port" = 80 ] || die "--hotspot needs port 80: phones probe http://.../ on port 80"
  port=80
  if [ -n "$wifi_password_file" ]; then
    wifi_password=$(head -n1 "$wifi_password_file")
    if [ "${#wifi_password}" -lt 8 ] || [ "${#wifi_password}" -gt 63 ]; then die "Wi-Fi password: 8 to 63 characters"; fi
  fi
elif [ -n "$ssid" ] || [ -n "$wifi_password_file" ]; then
  die "--ssid and --wifi-password-file go with --hotspot"
fi
port=${port:-8080}
if ! [[ $port =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then die "--port: a number from 1 to 65535"; fi
if $kiosk; then
  kiosk_url=${kiosk_url:-http://127.0.0.1:$port/kiosque}
  [[ $kiosk_url =~ ^https?://[A-Za-z0-9.:_~/?\&=%-]+$ ]] || die "--kiosk-url: an http(s) URL without quotes or spaces"
elif [ -n "$kiosk_url" ]; then
  die "--kiosk-url goes with --kiosk"
fi
if [ -n "$admin_login" ]; then
  [[ $admin_login =~ ^[A-Za-z0-9._-]+$ ]] || die "--admin: letters, digits, . _ - only"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- small tools that change things only when needed, and only outside --dry-run ----------------
changes=0
note_change() {
  changes=$((changes + 1))
  if $dry_run; then say "  (dry-run) $*"; else say "  $*"; fi
}

# run DESCRIPTION COMMAND...: runs the command, or only says it in dry-run.
run() {
  local what=$1
  shift
  note_change "$what"
  $dry_run || "$@"
}

# The numeric id of a user or group as written in the root's own files (not the host's), so
# owners are right in an image being built. Empty when absent.
id_of() { awk -F: -v name="$2" '$1 == name { print $3 }' "$prefix/etc/$1"; }

# owner_ids USER GROUP: "UID:GID", or the names while they do not exist yet (dry-run).
owner_ids() {
  local uid gid
  uid=$(id_of passwd "$1")
  gid=$(id_of group "$2")
  printf '%s:%s' "${uid:-$1}" "${gid:-$2}"
}

# These helpers never return a failure for "nothing to do": called in a condition, bash would
# stop honouring `set -e` inside them. A caller that needs to know whether something changed
# compares the `changes` count before and after.

# put_file SOURCE DEST MODE USER GROUP: DEST becomes a copy of SOURCE with that mode and owner,
# replaced atomically (a running binary is replaced, not overwritten).
put_file() {
  local source=$1 dest=$2 mode=$3 owner tmp
  owner=$(owner_ids "$4" "$5")
  if [ -f "$dest" ] && cmp -s "$source" "$dest" &&
    [ "$(stat -c '%a %u:%g' "$dest")" = "$(printf '%o' $((8#$mode))) $owner" ]; then
    return 0
  fi
  note_change "write ${dest#"$prefix"} ($mode $4:$5)"
  if ! $dry_run; then
    mkdir -p "$(dirname "$dest")"
    tmp=$(mktemp "$(dirname "$dest")/.install.XXXXXX")
    cp "$source" "$tmp"
    chmod "$mode" "$tmp"
    chown "$owner" "$tmp"
    mv -f "$tmp" "$dest"
  fi
}

# put_text DEST MODE USER GROUP < CONTENT
put_text() {
  local source
  source=$(mktemp "$work/text.XXXXXX")
  cat >"$source"
  put_file "$source" "$@"
}

# put_dir DEST MODE USER GROUP
put_dir() {
  local dest=$1 mode=$2 owner
  owner=$(owner_ids "$3" "$4")
  if [ -d "$dest" ] && [ "$(stat -c '%a %u:%g' "$dest")" = "$(printf '%o' $((8#$mode))) $owner" ]; then
    return 0
  fi
  note_change "folder ${dest#"$prefix"} ($mode $3:$4)"
  if ! $dry_run; then
    mkdir -p "$dest"
    chmod "$mode" "$dest"
    chown "$owner" "$dest"
  fi
}

# remove DEST: for what an earlier run set up and this one is not asked for.
remove() {
  if [ -e "$1" ] || [ -L "$1" ]; then run "remove ${1#"$prefix"}" rm -f "$1"; fi
}

in_root() { if $host; then "$@"; else "$@" --root "$root"; fi; }

systemctl_here() {
  if $host; then systemctl "$@"; else systemctl --root="$root" "$@"; fi
}

# changed_since COUNT: whether anything changed since `changes` was COUNT.
changed_since() { [ "$changes" -ne "$1" ]; }

# --- the binary: update keeps the previous one, rollback swaps them -----------------------------
readonly installed="$prefix/usr/local/bin/cartable" previous="$prefix/usr/local/lib/cartable/cartable.previous"
binary_changed=false

install_binary() {
  if [ -f "$installed" ] && ! cmp -s "$binary" "$installed"; then
    put_dir "$(dirname "$previous")" 0755 root root
    run "keep the running binary as ${previous#"$prefix"}" cp -p "$installed" "$previous"
  fi
  local since=$changes
  put_file "$binary" "$installed" 0755 root root
  if changed_since "$since"; then binary_changed=true; fi
}

restart_service() {
  if $host && [ -d /run/systemd/system ]; then
    run "restart cartable.service" systemctl restart cartable.service
  fi
}

swap_binaries() {
  cp -p "$installed" "$installed.swap"
  mv -f "$previous" "$installed"
  mv -f "$installed.swap" "$previous"
}

if [ "$mode" = rollback ]; then
  say "Retour à la version précédente de cartable"
  [ -f "$previous" ] || die "no previous binary at ${previous#"$prefix"}: nothing to roll back to"
  [ -f "$installed" ] || die "no binary installed at ${installed#"$prefix"}"
  run "swap ${installed#"$prefix"} and ${previous#"$prefix"}" swap_binaries
  restart_service
  $dry_run || say "Version en service : $("$installed" --version 2>/dev/null || echo '?')"
  exit 0
fi

if [ "$mode" = update ]; then
  say "Mise à jour du programme cartable"
  [ -f "$installed" ] || die "cartable is not installed yet: run install.sh without --update"
  install_binary
  if $binary_changed; then restart_service; else say "  déjà à jour"; fi
  exit 0
fi

# --- packages (only on the machine itself) ------------------------------------------------------
packages=()
apt_install() {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}
need() { command -v "$1" >/dev/null 2>&1 || packages+=("$2"); }
need systemd-mount systemd
need runuser util-linux
need blkid util-linux
# polkitd runs the rule that lets cartable eject sticks; no sudo needed.
[ -x /usr/lib/polkit-1/polkitd ] || packages+=(polkitd)
if $hotspot; then need nmcli network-manager; need dnsmasq dnsmasq-base; fi
if $kiosk; then need cage cage; need chromium chromium; fi
say "Paquets"
if $host; then
  if [ ${#packages[@]} -gt 0 ]; then
    run "apt-get install ${packages[*]}" apt_install "${packages[@]}"
  fi
else
  say "Dans $root : ni apt-get ni systemctl start ; l'image doit fournir systemd, util-linux, polkitd$($hotspot && echo ', network-manager, dnsmasq-base')$($kiosk && echo ', cage, chromium')."
fi

# --- users --------------------------------------------------------------------------------------
say "Utilisateurs"
# system_user NAME HOME: a system user and its own group, no login shell.
system_user() {
  if [ -z "$(id_of group "$1")" ]; then
    run "add system group $1" in_root groupadd --system "$1"
  fi
  if [ -z "$(id_of passwd "$1")" ]; then
    run "add system user $1" in_root useradd --system --gid "$1" --home-dir "$2" --no-create-home \
      --shell /usr/sbin/nologin --comment "$1" "$1"
  fi
}
system_user cartable /var/lib/cartable
if $kiosk; then
  system_user cartable-kiosk /nonexistent
  # The screen and input devices; logind's seat gives them too, the groups are a fallback.
  for group in video render input; do
    if [ -n "$(id_of group "$group")" ] &&
      ! awk -F: -v g="$group" '$1 == g { print $4 }' "$prefix/etc/group" | tr , '\n' | grep -qx cartable-kiosk; then
      run "add cartable-kiosk to group $group" in_root usermod -a -G "$group" cartable-kiosk
    fi
  done
fi

# --- binary, folders, configuration -------------------------------------------------------------
say "Programme, dossiers, configuration"
install_binary
put_dir "$prefix/usr/local/lib/cartable" 0755 root root
put_dir "$prefix/etc/cartable" 0755 root root
put_dir "$prefix/var/lib/cartable" 0750 cartable cartable
# The daily backup's folder (cartable-backup.timer); a USB disk instead: see README.md.
put_dir "$prefix/var/backups" 0755 root root
put_dir "$prefix/var/backups/cartable" 0750 cartable cartable
put_dir "$prefix$usb_base" 0755 root root
put_file "$files/lib/usb" "$prefix/usr/local/lib/cartable/usb" 0755 root root
put_file "$here/README.md" "$prefix/usr/local/share/doc/cartable/README.md" 0644 root root

# The configuration is the administrator's: install.sh writes it whole only the first time, then
# only rewrites the lines it owns (listen, data, hotspot, and school_name when asked).
config="$prefix/etc/cartable/cartable.toml"
toml_string() { printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"; }
if $hotspot; then
  hotspot_line='hotspot = true'
  say "Note : « hotspot = true » demande un cartable qui connaît cette clé ; un plus ancien refuse de démarrer (journalctl -u cartable)."
else hotspot_line='# hotspot = true  (image/install.sh --hotspot)'; fi
school_line=""
[ -z "$school_name" ] || school_line="school_name = $(toml_string "$school_name")"
{
  if [ -f "$config" ]; then
    awk -v listen="listen = \"0.0.0.0:$port\"" -v data='data = "/var/lib/cartable"' \
      -v hotspot="$hotspot_line" -v school="$school_line" '
      function key(line) { sub(/^[#[:space:]]*/, "", line); sub(/[[:space:]]*=.*/, "", line); return line }
      /^[#[:space:]]*listen[[:space:]]*=/ { print listen; seen["listen"] = 1; next }
      /^[#[:space:]]*data[[:space:]]*=/ { print data; seen["data"] = 1; next }
      /^[#[:space:]]*hotspot[[:space:]]*=/ { print hotspot; seen["hotspot"] = 1; next }
      school != "" && /^[#[:space:]]*school_name[[:space:]]*=/ { print school; seen["school"] = 1; next }
      { print }
      END {
        if (!seen["listen"]) print listen
        if (!seen["data"]) print data
        if (!seen["hotspot"]) print hotspot
        if (school != "" && !seen["school"]) print school
      }' "$config"
  else
    cat <<TOML
# cartable's configuration (see cartable --help). image/install.sh rewrites the lines listen,
# data and hotspot (and school_name when given --school-name); the rest is yours. cartable
# refuses unknown keys. After a change: systemctl restart cartable
listen = "0.0.0.0:$port"
data = "/var/lib/cartable"
${school_line:-# school_name = \"Lycée\"}
# Name announced on the network (http://cartable.local); "" announces nothing.
# mdns_name = "cartable"
# Largest file accepted, in megabytes.
# max_upload_mb = 200
# How long a staff session lasts without activity, in hours.
# session_hours = 12
# Printing at the desk ("lp -d salle-cdi"); "" turns it off.
# print_command = "lp"
# LibreOffice, to print Word and OpenDocument files as laid out; "" prints them as text.
# office_command = "soffice"
$hotspot_line
TOML
  fi
} >"$work/cartable.toml"
since=$changes
put_file "$work/cartable.toml" "$config" 0640 root cartable
config_changed=false
if changed_since "$since"; then config_changed=true; fi

# --- systemd, journald, udev, polkit -------------------------------------------------------------
say "Service, journaux, clés USB"
unit_dir="$prefix/etc/systemd/system"
since=$changes
put_file "$files/systemd/cartable.service" "$unit_dir/cartable.service" 0644 root root
if [ "$port" -lt 1024 ]; then
  put_dir "$unit_dir/cartable.service.d" 0755 root root
  put_file "$files/systemd/low-port.conf" "$unit_dir/cartable.service.d/low-port.conf" 0644 root root
else
  remove "$unit_dir/cartable.service.d/low-port.conf"
fi
put_file "$files/systemd/cartable-eject@.service" "$unit_dir/cartable-eject@.service" 0644 root root
put_file "$files/systemd/cartable-backup.service" "$unit_dir/cartable-backup.service" 0644 root root
put_file "$files/systemd/cartable-backup.timer" "$unit_dir/cartable-backup.timer" 0644 root root
put_file "$files/systemd/cartable-sync.service" "$unit_dir/cartable-sync.service" 0644 root root
put_file "$files/systemd/cartable-sync.timer" "$unit_dir/cartable-sync.timer" 0644 root root
units_changed=false
if changed_since "$since"; then units_changed=true; fi
since=$changes
put_file "$files/journald/cartable.conf" "$prefix/etc/systemd/journald.conf.d/cartable.conf" 0644 root root
journald_changed=false
if changed_since "$since"; then journald_changed=true; fi
since=$changes
put_file "$files/udev/80-cartable-usb.rules" "$prefix/etc/udev/rules.d/80-cartable-usb.rules" 0644 root root
udev_changed=false
if changed_since "$since"; then udev_changed=true; fi
put_file "$files/polkit/50-cartable-eject.rules" "$prefix/etc/polkit-1/rules.d/50-cartable-eject.rules" 0644 root root

# --- hotspot ------------------------------------------------------------------------------------
say "Point d'accès Wi-Fi : $($hotspot && echo "oui ($ssid)" || echo non)"
nm_connection="$prefix/etc/NetworkManager/system-connections/cartable-hotspot.nmconnection"
nm_dnsmasq="$prefix/etc/NetworkManager/dnsmasq-shared.d/cartable.conf"
since=$changes
if $hotspot; then
  {
    cat <<NM
# Written by image/install.sh --hotspot: the Pi's own Wi-Fi as an access point; NetworkManager's
# shared mode hands out 10.42.0.10-254 by DHCP and runs dnsmasq, which answers every name with
# $hotspot_address (see ../dnsmasq-shared.d/cartable.conf).
[connection]
id=cartable-hotspot
uuid=5f1c0b6e-2d4a-4c59-9a43-6b7d2c8e1a90
type=wifi
interface-name=wlan0
autoconnect=true
autoconnect-priority=100

[wifi]
mode=ap
band=bg
channel=6
ssid=$ssid

NM
    if [ -n "$wifi_password_file" ]; then
      printf '[wifi-security]\nkey-mgmt=wpa-psk\nproto=rsn\npairwise=ccmp\ngroup=ccmp\npsk=%s\n\n' "$wifi_password"
    fi
    printf '[ipv4]\nmethod=shared\naddress1=%s/24\n\n[ipv6]\nmethod=disabled\n' "$hotspot_address"
  } >"$work/hotspot.nmconnection"
  # NetworkManager ignores a connection file anyone but root can read.
  put_file "$work/hotspot.nmconnection" "$nm_connection" 0600 root root
  put_file "$files/networkmanager/dnsmasq-cartable.conf" "$nm_dnsmasq" 0644 root root
else
  remove "$nm_connection"
  remove "$nm_dnsmasq"
fi
hotspot_changed=false
if changed_since "$since"; then hotspot_changed=true; fi

# --- kiosk --------------------------------------------------------------------------------------
say "Écran kiosque : $($kiosk && echo "oui ($kiosk_url)" || echo non)"
kiosk_unit="$unit_dir/cartable-kiosk.service"
kiosk_policy="$prefix/etc/chromium/policies/managed/cartable-kiosk.json"
since=$changes
if $kiosk; then
  kiosk_host=${kiosk_url#*://}
  kiosk_host=${kiosk_host%%/*}
  kiosk_port=${kiosk_host##*:}
  if ! [[ $kiosk_port =~ ^[0-9]+$ ]]; then
    case "$kiosk_url" in https:*) kiosk_port=443 ;; *) kiosk_port=80 ;; esac
  fi
  kiosk_host=${kiosk_host%:"$kiosk_port"}
  # Fed by redirections, not pipes: a pipe would run put_text in a subshell and lose its count.
  put_text "$prefix/etc/cartable/kiosk.env" 0644 root root \
    < <(printf 'KIOSK_URL=%s\nKIOSK_PORT=%s\n' "$kiosk_url" "$kiosk_port")
  put_file "$files/systemd/cartable-kiosk.service" "$kiosk_unit" 0644 root root
  # Chromium's managed policy: the resource point's pages and nothing else, no downloads onto
  # the kiosk, no developer tools, no printing dialog (printing goes through the desk).
  put_text "$kiosk_policy" 0644 root root <<JSON
{
  "URLBlocklist": ["*"],
  "URLAllowlist": ["$kiosk_host"],
  "DownloadRestrictions": 3,
  "DeveloperToolsAvailability": 2,
  "PrintingEnabled": false,
  "PasswordManagerEnabled": false,
  "BrowserSignin": 0,
  "TranslateEnabled": false
}
JSON
  # The text console goes blank after 10 minutes by default; a kiosk screen never should.
  cmdline="$prefix/boot/firmware/cmdline.txt"
  if [ -f "$cmdline" ] && ! grep -qw 'consoleblank=0' "$cmdline"; then
    run "add consoleblank=0 to ${cmdline#"$prefix"}" sed -i '1 s/$/ consoleblank=0/' "$cmdline"
  fi
else
  if [ -f "$kiosk_unit" ]; then
    if $host; then
      run "stop and disable cartable-kiosk.service" systemctl disable --now --quiet cartable-kiosk.service
    else
      run "disable cartable-kiosk.service" systemctl_here disable --quiet cartable-kiosk.service
    fi
    remove "$kiosk_unit"
  fi
  remove "$kiosk_policy"
  remove "$prefix/etc/cartable/kiosk.env"
fi
kiosk_changed=false
if changed_since "$since"; then kiosk_changed=true; fi

# --- enable, (re)start --------------------------------------------------------------------------
say "Démarrage"
# enable UNIT: the wants link, made offline in another root (systemctl --root needs no systemd).
enable() {
  local link
  link="$unit_dir/$(grep -m1 '^WantedBy=' "$unit_dir/$1" | cut -d= -f2).wants/$1"
  if [ ! -L "$link" ] || [ "$(readlink "$link")" != "/etc/systemd/system/$1" ]; then
    run "enable $1" systemctl_here enable --quiet "$1"
  fi
}
if $dry_run && [ ! -f "$unit_dir/cartable.service" ]; then
  note_change "enable cartable.service"
else
  enable cartable.service
fi
if $dry_run && [ ! -f "$unit_dir/cartable-backup.timer" ]; then
  note_change "enable cartable-backup.timer"
else
  enable cartable-backup.timer
fi
# The hub's sync: idle until /etc/cartable/hub.env says which hub (see cartable-sync.service).
if $dry_run && [ ! -f "$unit_dir/cartable-sync.timer" ]; then
  note_change "enable cartable-sync.timer"
else
  enable cartable-sync.timer
fi
if $kiosk; then
  if $dry_run && [ ! -f "$kiosk_unit" ]; then note_change "enable cartable-kiosk.service"; else enable cartable-kiosk.service; fi
fi

reload_udev() {
  udevadm control --reload
  udevadm trigger --action=add --subsystem-match=block
}
# In a chroot or a container without systemd, everything is written and enabled, and starts at
# the next boot; reloading and starting need systemd running.
systemd_running=false
[ -d /run/systemd/system ] && systemd_running=true
if $host && ! $dry_run && ! $systemd_running; then
  say "  systemd ne tourne pas ici (chroot ?) : rien n'est démarré maintenant, tout démarrera au prochain démarrage."
fi
if $host && ! $dry_run && $systemd_running; then
  if $units_changed || $kiosk_changed; then systemctl daemon-reload; fi
  if $journald_changed; then run "restart systemd-journald" systemctl restart systemd-journald; fi
  if $udev_changed; then
    run "reload udev rules, replay sticks already there" reload_udev
  fi
  if $hotspot_changed && command -v nmcli >/dev/null 2>&1; then
    run "reload NetworkManager connections" nmcli connection reload
    if $hotspot; then run "start the hotspot $ssid" nmcli connection up cartable-hotspot || say "  hotspot not started now (Wi-Fi country set? see image/README.md)"; fi
  fi
fi

# --- first admin ---------------------------------------------------------------------------------
# Before the service starts, so the data folder is not yet in use by the server.
as_cartable() { (umask 0027 && cd / && runuser -u cartable -- "$installed" --data /var/lib/cartable "$@"); }
if $host && ! $dry_run && ! $no_admin; then
  if admins=$(as_cartable user list 2>/dev/null) && printf '%s\n' "$admins" | grep -q $'\tadmin$'; then
    say "Premier administrateur : déjà là"
  elif [ -t 0 ]; then
    if [ -z "$admin_login" ]; then
      read -r -p "Identifiant du premier administrateur [admin] : " admin_login
      admin_login=${admin_login:-admin}
    fi
    say "Premier administrateur : $admin_login (cartable demande le mot de passe)"
    if as_cartable user add "$admin_login" --role admin; then
      note_change "first admin $admin_login created"
    else
      say "  non créé ; plus tard : sudo -u cartable cartable --data /var/lib/cartable user add $admin_login --role admin"
    fi
  else
    say "Premier administrateur : pas de terminal pour le mot de passe. Plus tard :"
    say "  sudo -u cartable cartable --data /var/lib/cartable user add admin --role admin"
  fi
fi

if $host && ! $dry_run && $systemd_running; then
  if ! systemctl is-active --quiet cartable.service; then
    run "start cartable.service" systemctl start cartable.service
  elif $binary_changed || $config_changed || $units_changed; then
    restart_service
  fi
  if ! systemctl is-active --quiet cartable-backup.timer; then
    run "start cartable-backup.timer" systemctl start cartable-backup.timer
  fi
  if ! systemctl is-active --quiet cartable-sync.timer; then
    run "start cartable-sync.timer" systemctl start cartable-sync.timer
  fi
  if $kiosk && { $kiosk_changed || ! systemctl is-active --quiet cartable-kiosk.service; }; then
    run "start cartable-kiosk.service" systemctl restart cartable-kiosk.service
  fi
fi

if [ "$changes" -eq 0 ]; then
  say "Rien à changer : tout est déjà en place."
elif $dry_run; then
  say "$changes changement(s) à faire ; rien n'a été modifié (--dry-run)."
else
  say "$changes changement(s). Journal : journalctl -u cartable ; adresse : http://$(hostname 2>/dev/null || echo cartable).local$([ "$port" = 80 ] || echo ":$port")/"
fi
