#!/bin/sh
# The command line's layering (docs/architecture.md, "The CLI"):
#   output.c                      prints; uses no other CLI file
#   options.c context.c help.c    shared by the commands; use only output.c
#   secret_input.c                (and each other), never a command or main.c
#   cmd_<name>.c (+ its engine:   use the shared files only, never another
#   the files that include        command; fetch_run.c, fetch_log.c and
#   <name>.h, e.g. fetch.h)       progress.c belong to fetch
#   main.c                        dispatches; nothing uses its functions
# and the CLI uses only the public API (include/pkgauth) and the utility
# headers of src/lib. Checked on the sources (#include "...") and on the
# object files (nm: who defines and who uses each symbol).
#   check_cli_layering.sh <source root> <object file>...
set -eu
root=$1
shift
cli=$root/src/cli
fail=0
err() {
  echo "error: $*"
  fail=1
}

# The utility headers the CLI may use beside its own and the public ones.
is_util_header() {
  case $1 in
  util/*.h | curl_dl.h | file.h | memory.h) return 0 ;;
  *) return 1 ;;
  esac
}

# The unit a file belongs to: a command name, "main", or "shared".
unit_of() { # <file name, e.g. fetch_run.c or fetch_run.c.o>
  base=${1##*/}
  base=${base%.o}
  case $base in
  main.c) echo main; return ;;
  cmd_*.c) n=${base#cmd_}; echo "${n%.c}"; return ;;
  esac
  # A file including a command's private header <name>.h is part of it.
  for h in $(sed -n 's/^#include "\([a-z0-9_]*\)\.h"$/\1/p' "$cli/$base"); do
    if [ -f "$cli/cmd_$h.c" ]; then
      echo "$h"
      return
    fi
  done
  echo shared
}

# 1. Includes.
for f in "$cli"/*.c "$cli"/*.h; do
  name=${f##*/}
  case $name in
  *.c) unit=$(unit_of "$name") ;;
  *) unit=shared; [ -f "$cli/cmd_${name%.h}.c" ] && unit=${name%.h} ;;
  esac
  for inc in $(sed -n 's/^#include "\(.*\)"$/\1/p' "$f"); do
    case $inc in
    *.c) err "$name includes $inc (a source file)"; continue ;;
    esac
    if [ -f "$cli/$inc" ]; then
      stem=${inc%.h}
      if [ "$inc" = commands.h ] && [ "$unit" != main ] && [ "${name#cmd_}" = "$name" ]; then
        err "$name includes commands.h (only main.c and the commands' own files may)"
      elif [ -f "$cli/cmd_$stem.c" ] && [ "$unit" != "$stem" ]; then
        err "$name includes $inc, the private header of command $stem"
      fi
    elif ! is_util_header "$inc"; then
      err "$name includes $inc: neither a CLI header nor a utility header (a library internal)"
    fi
  done
done

# 2. Symbols: "<object> <unit>", "<symbol> <defining object>" and
# "<object> <symbol it uses>" tables, joined by awk.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for o in "$@"; do
  obj=${o##*/}
  echo "$obj $(unit_of "$obj")" >>"$tmp/units"
  nm --defined-only -g "$o" | awk -v o="$obj" 'NF == 3 {print $3, o}' >>"$tmp/defs"
  nm -u "$o" | awk -v o="$obj" '{print o, $2}' >>"$tmp/uses"
done
awk 'FILENAME ~ /units$/ {unit[$1] = $2; next}
     FILENAME ~ /defs$/ {def[$1] = $2; next}
     {
       obj = $1; sym = $2; owner = def[sym]
       if (owner == "") {
         if (sym ~ /^pkgauth_/) print "lib", obj, sym
         next
       }
       u = unit[obj]; ou = unit[owner]
       where = obj " uses " sym " from " owner
       sub(/\.o /, " ", where); sub(/\.o$/, "", where)
       if (ou == "main")
         print "err", where ": nothing may use main.c'"'"'s functions"
       else if (ou != "shared" && u == "shared")
         print "err", where ": a shared file may not call into a command"
       else if (ou != "shared" && u != "main" && ou != u)
         print "err", where ": a command may not call into another command"
       else if (obj == "output.c.o")
         print "err", where ": output.c only prints and uses no other CLI file"
     }' "$tmp/units" "$tmp/defs" "$tmp/uses" >"$tmp/found"
while read -r kind a b; do
  if [ "$kind" = err ]; then
    err "$a $b"
  elif ! grep -qw "$b" "$root"/include/pkgauth/*.h "$root"/src/lib/curl_dl.h \
    "$root"/src/lib/file.h "$root"/src/lib/memory.h $(ls "$root"/src/lib/util/*.h 2>/dev/null); then
    err "${a%.o} uses $b, which is neither public API nor a utility"
  fi
done <"$tmp/found"
[ "$fail" = 0 ] && echo "CLI layering: $# object files, no command uses another, nothing uses main.c"
exit "$fail"
