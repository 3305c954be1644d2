# Sourced by ./build: heft-web's browser tests drive Debian's Chromium through chromedriver (no browser is downloaded
# by Maven). `./build test` calls heft_browser_deps first, so the README's test command works on a fresh Debian or
# Ubuntu machine with nothing installed by hand; the tests themselves FAIL (never skip) when the browser is missing.
heft_browser_present() {
  # The paths BrowserTest uses unless -Dheft.chromium / -Dheft.chromedriver say otherwise.
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]
}

# Whether these Maven arguments run heft-web's tests: not with -DskipTests, nor with -pl/--projects naming only
# other modules (unless -am/--also-make builds heft-web, whose tests then run too).
heft_runs_web_tests() {
  local arg next_is_projects=0 projects="" also_make=0
  for arg in "$@"; do
    if [ "$next_is_projects" = 1 ]; then projects="$arg"; next_is_projects=0; continue; fi
    case "$arg" in
      -DskipTests|-DskipTests=true|-Dmaven.test.skip|-Dmaven.test.skip=true) return 1 ;;
      -pl|--projects) next_is_projects=1 ;;
      -pl*) projects="${arg#-pl}" ;;
      --projects=*) projects="${arg#--projects=}" ;;
      -am|--also-make) also_make=1 ;;
    esac
  done
  [ -z "$projects" ] && return 0
  case ",$projects," in *,heft-web,*|*,:heft-web,*) return 0 ;; esac
  # heft-cli depends on heft-web, so -pl heft-cli -am (or heft-bench) builds and tests it as well.
  [ "$also_make" = 1 ] && case ",$projects," in *,heft-cli,*|*,heft-bench,*|*,:heft-cli,*|*,:heft-bench,*) return 0 ;; esac
  return 1
}

# Installs Debian's chromium and chromium-driver through apt when they are missing (as root, or through a sudo that
# needs no password). When that is not possible it says what to install and returns 0: the browser tests then fail
# with the same advice rather than the build stopping before any test ran.
heft_browser_deps() {
  heft_runs_web_tests "$@" || return 0
  heft_browser_present && return 0
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo="none"; fi
  fi
  if ! command -v apt-get >/dev/null || [ "$sudo" = none ]; then
    echo "build: heft-web's browser tests need Chromium and chromedriver at /usr/bin (Debian/Ubuntu: apt-get install" \
      "chromium chromium-driver); this machine has no apt-get or no root, so they will fail" >&2
    return 0
  fi
  echo "build: installing chromium and chromium-driver for heft-web's browser tests" >&2
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver \
    || echo "build: apt-get could not install chromium and chromium-driver; the browser tests will fail" >&2
  return 0
}
