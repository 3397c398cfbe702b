# Sourced by scripts/test: checks the .rpm that scripts/package builds beside the .deb, without
# installing it (this is a Debian machine): its name, its file list (`rpm -qlp`) against the
# .deb's, its desktop entry against the .deb's, and its dependencies (`rpm -qRp`): GTK 3 and
# WebKitGTK 4.1 by their libraries, nothing else but rpm's own features.

_rpm_package_fail() {
  echo >&2
  echo "RPM PACKAGE CHECK FAILED: $*" >&2
  return 1
}

# _deb_files DEB: the paths of the files (not folders) a .deb installs, one a line, sorted.
_deb_files() {
  dpkg-deb --fsys-tarfile "$1" | tar -tv | awk '$1 ~ /^-/ { print $NF }' | sed 's|^\./|/|; s|^\([^/]\)|/\1|' | sort
}

# _deb_file DEB PATH and _rpm_file RPM PATH: the content of one file of the package.
_deb_file() { dpkg-deb --fsys-tarfile "$1" | tar -xO --no-anchored "${2#/}"; }
# rpm2cpio (rpm 4.18) exits 1 on the bundler's .rpm although it writes the whole archive (its
# payload-size check disagrees with the header), so its status is not read: cpio must find the
# file, and an empty answer counts as not found.
_rpm_file() {
  local content
  content=$( (rpm2cpio "$1" || true) | cpio --quiet -i --to-stdout ".$2") || return 1
  [[ -n $content ]] || return 1
  printf '%s\n' "$content"
}

# check_rpm_package RPM DEB: returns 0 when the .rpm holds what the .deb does, under the same
# names, and depends on GTK 3 and WebKitGTK 4.1 only.
check_rpm_package() {
  local rpm=$1 deb=$2 name bin=/usr/bin/scopestack-companion
  local entry=/usr/share/applications/scopestack-companion.desktop
  [[ -f $rpm ]] || { _rpm_package_fail "no .rpm at '$rpm' (scripts/package prints its path on the line before the .deb's)"; return 1; }
  name=$(rpm -qp --queryformat '%{NAME}' "$rpm" 2>/dev/null) || { _rpm_package_fail "$rpm is not a readable .rpm"; return 1; }
  if [[ $name != scopestack-companion || $(basename "$rpm") != scopestack-companion-*.rpm ]]; then
    _rpm_package_fail "the package is $name in $(basename "$rpm"), not scopestack-companion in scopestack-companion-….rpm"
    return 1
  fi

  # The file list: the binary (executable), the desktop entry, the icons; the same as the .deb's.
  local files deb_files modes
  files=$(rpm -qlp "$rpm" | sort)
  deb_files=$(_deb_files "$deb")
  modes=$(rpm -qp --queryformat '[%{FILEMODES:perms} %{FILENAMES}\n]' "$rpm")
  if ! grep -qx -- "-rwxr-xr-x $bin" <<<"$modes"; then
    _rpm_package_fail "the .rpm has no executable $bin (its files: $(tr '\n' ' ' <<<"$modes"))"; return 1
  fi
  if ! grep -qx "$entry" <<<"$files"; then
    _rpm_package_fail "the .rpm has no desktop entry $entry (its files: $(tr '\n' ' ' <<<"$files"))"; return 1
  fi
  if ! grep -qE '^/usr/share/icons/hicolor/[0-9]+x[0-9]+/apps/scopestack-companion\.png$' <<<"$files"; then
    _rpm_package_fail "the .rpm has no icon under /usr/share/icons/hicolor (its files: $(tr '\n' ' ' <<<"$files"))"; return 1
  fi
  if [[ $files != "$deb_files" ]]; then
    _rpm_package_fail "the .rpm and the .deb install different files:
$(diff <(echo "$deb_files") <(echo "$files") | sed 's/^</  only in the .deb:/; s/^>/  only in the .rpm:/' | grep '^  ')"
    return 1
  fi

  # The desktop entry: the .deb's, byte for byte (the same template, packaging/linux).
  local rpm_entry deb_entry
  rpm_entry=$(_rpm_file "$rpm" "$entry") || { _rpm_package_fail "could not read $entry out of the .rpm"; return 1; }
  deb_entry=$(_deb_file "$deb" "$entry") || { _rpm_package_fail "could not read $entry out of the .deb"; return 1; }
  if ! grep -qx "Exec=scopestack-companion" <<<"$rpm_entry" || ! grep -qx "Name=ScopeStack Companion" <<<"$rpm_entry"; then
    _rpm_package_fail "the .rpm's desktop entry does not start scopestack-companion as \"ScopeStack Companion\":
$rpm_entry"
    return 1
  fi
  if [[ $rpm_entry != "$deb_entry" ]]; then
    _rpm_package_fail "the desktop entries of the .rpm and the .deb differ:
$(diff <(echo "$deb_entry") <(echo "$rpm_entry"))"
    return 1
  fi

  # The dependencies: WebKitGTK 4.1 and GTK 3 (by library, as rpm writes them: every RPM
  # distribution provides them under these names), and rpm's own features; no Debian package
  # name, no development package, nothing else.
  local requires odd
  requires=$(rpm -qRp "$rpm" | sed 's/[[:space:]]*$//')
  if ! grep -q 'webkit2gtk-4\.1' <<<"$requires" || ! grep -q 'gtk-3' <<<"$requires"; then
    _rpm_package_fail "the .rpm does not depend on WebKitGTK 4.1 and GTK 3; it requires: $(tr '\n' ' ' <<<"$requires")"; return 1
  fi
  odd=$(grep -vE '^rpmlib\([A-Za-z]+\) <= [0-9.-]+$|^lib(webkit2gtk-4\.1|gtk-3)\.so\.[0-9]+\(\)\(64bit\)$' <<<"$requires" || true)
  if [[ -n $odd ]]; then
    _rpm_package_fail "the .rpm requires more than GTK 3 and WebKitGTK 4.1: $(tr '\n' ' ' <<<"$odd")"; return 1
  fi

  echo "The .rpm ($(basename "$rpm")): $(wc -l <<<"$files") files, the same as the .deb's, the same desktop entry; requires $(grep -v '^rpmlib' <<<"$requires" | tr '\n' ' ')" >&2
}
