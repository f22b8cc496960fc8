#!/bin/sh
# Provides mediasoup's C++ media worker (mediasoup-worker) for the mediasoup version installed in
# node_modules, without any network access if need be.
#
#   sh scripts/build-mediasoup-worker.sh        (run by `npm install` through scripts/postinstall.mjs)
#
# Order of attempts, first success wins:
#   1. the cached binary   ${MEDIASOUP_WORKER_CACHE:-~/.cache/mediasoup-worker}/<version>/mediasoup-worker
#   2. $MEDIASOUP_WORKER_BIN, if the user points at a binary of their own
#   3. mediasoup's prebuilt release download (short timeout; skipped with MEDIASOUP_WORKER_SKIP_DOWNLOAD=1)
#   4. a build from the sources that ship in the npm package, against the distribution's
#      libraries (Debian 12 here): installs the apt packages when root, ~4 minutes on 2 cores.
# The result is cached (outside the clone, so a fresh checkout reuses it) and copied to
# node_modules/mediasoup/worker/out/Release/mediasoup-worker, where mediasoup looks by default.
# The installed path is printed on stdout; progress and errors go to stderr.
set -eu

log() { echo "[mediasoup-worker] $*" >&2; }
die() {
  log "ERROR: $*"
  log "The AV MCU cannot run without this binary. See docs/mcu.md (\"Building the media worker\")."
  exit 1
}

PROJECT_DIR=$(cd "$(dirname "$0")/.." && pwd)
MS_DIR=${MEDIASOUP_DIR:-$PROJECT_DIR/node_modules/mediasoup}
if [ -f "$MS_DIR/package.json" ]; then
  VERSION=$(node -p "require(process.argv[1]).version" "$MS_DIR/package.json")
  INSTALLED=1
else
  # Run before `npm install` (CI warming the cache): build for the version package.json pins;
  # the postinstall copies the cached binary into node_modules afterwards.
  VERSION=$(node -p "require(process.argv[1]).dependencies?.mediasoup ?? ''" "$PROJECT_DIR/package.json")
  echo "$VERSION" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+$' ||
    die "mediasoup is not installed at $MS_DIR and package.json pins no exact version (run npm install first)"
  INSTALLED=0
fi
# Bump when the source build below changes, so binaries built by an older recipe are rebuilt.
RECIPE=1
CACHE_DIR=${MEDIASOUP_WORKER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mediasoup-worker}/$VERSION
CACHED_BIN=$CACHE_DIR/mediasoup-worker
ORIGIN_FILE=$CACHE_DIR/origin
TARGET_BIN=$MS_DIR/worker/out/Release/mediasoup-worker

# mediasoup-worker started without MEDIASOUP_VERSION exits with 41 (worker/src/main.cpp): this
# proves the binary loads on this host (architecture, libc, shared libraries) without side effects.
worker_runs() {
  [ -x "$1" ] || return 1
  status=0
  env -i "$1" >/dev/null 2>&1 </dev/null || status=$?
  [ "$status" -eq 41 ]
}

cache_is_valid() {
  worker_runs "$CACHED_BIN" || return 1
  origin=$(cat "$ORIGIN_FILE" 2>/dev/null || true)
  [ "$origin" = "prebuilt" ] || [ "$origin" = "user" ] || [ "$origin" = "source recipe $RECIPE" ]
}

# Atomically places a verified binary in the cache, with a note of where it came from.
store_in_cache() {
  mkdir -p "$CACHE_DIR"
  cp "$1" "$CACHED_BIN.tmp.$$"
  chmod 755 "$CACHED_BIN.tmp.$$"
  mv -f "$CACHED_BIN.tmp.$$" "$CACHED_BIN"
  echo "$2" >"$ORIGIN_FILE"
}

install_for_mediasoup() {
  if ! cmp -s "$CACHED_BIN" "$TARGET_BIN" 2>/dev/null; then
    mkdir -p "$(dirname "$TARGET_BIN")"
    cp "$CACHED_BIN" "$TARGET_BIN.tmp.$$"
    chmod 755 "$TARGET_BIN.tmp.$$"
    mv -f "$TARGET_BIN.tmp.$$" "$TARGET_BIN"
  fi
  worker_runs "$TARGET_BIN" || die "installed $TARGET_BIN does not run on this host"
  echo "$TARGET_BIN"
}

# The URL is formed as mediasoup's own npm-scripts.mjs does (getWorkerPrebuildTarName):
# <repo>/releases/download/<version>/mediasoup-worker-<version>-<platform>-<arch>[-kernel<N>].tgz
try_prebuilt() {
  [ "${MEDIASOUP_WORKER_SKIP_DOWNLOAD:-}" = "1" ] && return 1
  platform=$(node -p process.platform)
  arch=$(node -p process.arch)
  name="mediasoup-worker-$VERSION-$platform-$arch"
  [ "$platform" = linux ] && name="$name-kernel$(uname -r | cut -d. -f1)"
  base=${MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL:-https://github.com/versatica/mediasoup/releases/download}
  url="$base/$VERSION/$name.tgz"
  dl=$(mktemp -d)
  log "trying the prebuilt download $url"
  # Node's fetch, because curl/wget may be absent; 8 s to get an answer, 120 s for the body.
  if node -e '
    const [url, out] = process.argv.slice(1);
    const ctl = new AbortController();
    const t = setTimeout(() => ctl.abort(), 8000);
    fetch(url, { signal: ctl.signal }).then(async (res) => {
      clearTimeout(t);
      if (!res.ok) throw new Error("HTTP " + res.status);
      setTimeout(() => ctl.abort(), 120000).unref();
      require("node:fs").writeFileSync(out, Buffer.from(await res.arrayBuffer()));
    }).catch((e) => { console.error("[mediasoup-worker] prebuilt download unavailable: " + (e.cause?.code ?? e.message)); process.exit(1); });
  ' "$url" "$dl/worker.tgz" && tar -xzf "$dl/worker.tgz" -C "$dl" mediasoup-worker 2>/dev/null &&
    worker_runs "$dl/mediasoup-worker"; then
    store_in_cache "$dl/mediasoup-worker" prebuilt
    rm -rf "$dl"
    return 0
  fi
  rm -rf "$dl"
  return 1
}

# Debian packages: compilers and meson, plus the libraries that stand in for mediasoup's
# download-only meson subprojects (their runtime halves are what the worker links against).
BUILD_PACKAGES="g++ meson ninja-build pkg-config libssl-dev libuv1-dev libsrtp2-dev libabsl-dev
  libflatbuffers-dev flatbuffers-compiler"

ensure_build_packages() {
  if command -v dpkg-query >/dev/null 2>&1; then
    missing=""
    for p in $BUILD_PACKAGES; do
      dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
      die "missing build packages:$missing. Install them (sudo apt-get install$missing) and rerun npm install."
    fi
    log "installing build packages:$missing"
    apt-get update >&2 || die "apt-get update failed"
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >&2 ||
      die "apt-get install failed for:$missing"
    return 0
  fi
  for tool in meson ninja c++ pkg-config flatc; do
    command -v "$tool" >/dev/null 2>&1 || die "no prebuilt worker for this host and '$tool' is missing to build one"
  done
}

# Meson subprojects that take each library from the system instead of downloading it (mediasoup's
# .wrap files all point at GitHub / wrapdb). Each stub defines exactly the variables that
# worker/meson.build reads with get_variable(); the empty static libraries stand in for the
# `link_whole` targets, which only the (unbuilt) libmediasoup-worker shared library uses.
write_system_subprojects() {
  sp=$1
  rm -rf "$sp"/*.wrap "$sp/packagefiles"
  stub() { # name, meson.build on stdin
    mkdir -p "$sp/$1"
    cat >"$sp/$1/meson.build"
    : >"$sp/$1/empty.c"
  }
  options() { mkdir -p "$sp/$1"; cat >"$sp/$1/meson_options.txt"; }

  stub openssl <<'EOF'
project('openssl', 'c')
openssl_dep = dependency('openssl', version: '>= 3.0')
libcrypto_lib = static_library('system_crypto_placeholder', 'empty.c')
libssl_lib = static_library('system_ssl_placeholder', 'empty.c')
EOF
  stub libuv <<'EOF'
project('libuv', 'c')
libuv_dep = dependency('libuv', version: '>= 1.44')
libuv = static_library('system_uv_placeholder', 'empty.c')
EOF
  options libuv <<'EOF'
option('build_tests', type: 'boolean', value: false)
option('build_benchmarks', type: 'boolean', value: false)
EOF
  stub flatbuffers <<'EOF'
project('flatbuffers', 'c', 'cpp')
flatbuffers_dep = dependency('flatbuffers')
flatbuffers_lib = static_library('system_flatbuffers_placeholder', 'empty.c')
EOF
  # Only deps/libwebrtc uses abseil (memory, strings, optional); the worker itself uses none.
  stub abseil-cpp <<'EOF'
project('abseil-cpp', 'c', 'cpp')
absl_strings_dep = dependency('absl_strings')
absl_types_dep = declare_dependency(dependencies: [dependency('absl_optional'), dependency('absl_memory')])
absl_container_dep = declare_dependency(dependencies: [absl_strings_dep, absl_types_dep])
absl_container_lib = static_library('system_absl_placeholder', 'empty.c')
EOF
  # libsrtp: mediasoup builds against its libsrtp 3 fork; Debian 12 has libsrtp2 2.5. The
  # include directory puts our srtp.h adapter (below) ahead of the system headers.
  stub libsrtp3 <<'EOF'
project('libsrtp3', 'c')
libsrtp3_dep = declare_dependency(dependencies: dependency('libsrtp2', version: '>= 2.4'),
  include_directories: include_directories('include'))
libsrtp3 = static_library('system_srtp_placeholder', 'empty.c')
EOF
  options libsrtp3 <<'EOF'
option('crypto-library', type: 'string', value: 'openssl')
option('crypto-library-kdf', type: 'feature', value: 'disabled')
option('tests', type: 'feature', value: 'disabled')
EOF
  mkdir -p "$sp/libsrtp3/include"
  write_srtp3_adapter >"$sp/libsrtp3/include/srtp.h"

  # ankerl::unordered_dense is not packaged by Debian 12: the standard containers stand in (same
  # API for what the worker uses; only the performance profile differs).
  stub unordered-dense <<'EOF'
project('unordered-dense', 'cpp')
ankerl_unordered_dense_dep = declare_dependency(include_directories: include_directories('include'))
EOF
  mkdir -p "$sp/unordered-dense/include/ankerl"
  cat >"$sp/unordered-dense/include/ankerl/unordered_dense.h" <<'EOF'
// Stand-in for ankerl::unordered_dense over the standard unordered containers.
#pragma once
#include <functional>
#include <unordered_map>
#include <unordered_set>

namespace ankerl::unordered_dense
{
	template<class T, class = void>
	struct hash : std::hash<T>
	{
	};
	template<class K, class V, class H = hash<K>, class Eq = std::equal_to<K>>
	using map = std::unordered_map<K, V, H, Eq>;
	template<class K, class H = hash<K>, class Eq = std::equal_to<K>>
	using set = std::unordered_set<K, H, Eq>;
} // namespace ankerl::unordered_dense
EOF
  # `dependency('unordered_dense')` is resolved through a wrap's [provide] section; this one
  # names the local directory only, so there is nothing to download.
  printf '[wrap-file]\ndirectory = unordered-dense\n\n[provide]\nunordered_dense = ankerl_unordered_dense_dep\n' \
    >"$sp/unordered-dense.wrap"
}

# The libsrtp 3 API that mediasoup-worker calls (opaque policy objects, separate in/out buffers
# with size_t lengths), as C++ inline overloads over libsrtp2's C functions. No MKI support:
# mediasoup never uses MKI.
write_srtp3_adapter() {
  cat <<'EOF'
#pragma once
// libsrtp2 calls its policy struct srtp_policy_t; in libsrtp 3 that name is an opaque handle.
#define srtp_policy_t srtp2_policy_struct_t
#include <srtp2/srtp.h>
#undef srtp_policy_t
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

// libsrtp 3 codes that libsrtp2 never returns; values past libsrtp2's last code (27).
constexpr srtp_err_status_t srtp_err_status_buffer_small = static_cast<srtp_err_status_t>(28);
constexpr srtp_err_status_t srtp_err_status_cryptex_err  = static_cast<srtp_err_status_t>(29);

struct srtp3_policy_adapter
{
	srtp2_policy_struct_t policy{};
	uint8_t keyAndSalt[SRTP_MAX_KEY_LEN]{};
};
using srtp_policy_t = srtp3_policy_adapter*;

inline srtp_err_status_t srtp_policy_create(srtp_policy_t* out)
{
	auto* p = new (std::nothrow) srtp3_policy_adapter();
	if (!p)
		return srtp_err_status_alloc_fail;
	p->policy.key = p->keyAndSalt;
	*out          = p;
	return srtp_err_status_ok;
}
inline void srtp_policy_destroy(srtp_policy_t p) { delete p; }
inline srtp_err_status_t srtp_policy_set_ssrc(srtp_policy_t p, srtp_ssrc_t ssrc)
{
	p->policy.ssrc = ssrc;
	return srtp_err_status_ok;
}
inline srtp_err_status_t srtp_policy_set_profile(srtp_policy_t p, srtp_profile_t profile)
{
	const srtp_err_status_t err = srtp_crypto_policy_set_from_profile_for_rtp(&p->policy.rtp, profile);
	return err != srtp_err_status_ok ? err : srtp_crypto_policy_set_from_profile_for_rtcp(&p->policy.rtcp, profile);
}
inline srtp_err_status_t srtp_policy_add_key(
  srtp_policy_t p, const uint8_t* key, size_t keyLen, const uint8_t* salt, size_t saltLen,
  const uint8_t* /*mki*/, size_t mkiLen)
{
	if (mkiLen != 0 || keyLen + saltLen > sizeof(p->keyAndSalt))
		return srtp_err_status_bad_param;
	std::memcpy(p->keyAndSalt, key, keyLen);
	std::memcpy(p->keyAndSalt + keyLen, salt, saltLen);
	return srtp_err_status_ok;
}
inline srtp_err_status_t srtp_policy_set_window_size(srtp_policy_t p, size_t size)
{
	p->policy.window_size = static_cast<unsigned long>(size);
	return srtp_err_status_ok;
}
inline srtp_err_status_t srtp_policy_set_allow_repeat_tx(srtp_policy_t p, bool allow)
{
	p->policy.allow_repeat_tx = allow ? 1 : 0;
	return srtp_err_status_ok;
}
inline srtp_err_status_t srtp_create(srtp_t* session, srtp_policy_t p)
{
	return srtp_create(session, &p->policy);
}
inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc)
{
	return srtp_remove_stream(session, ssrc);
}

// libsrtp2 transforms in place with an int length and may append up to SRTP_MAX_TRAILER_LEN
// bytes; libsrtp 3 reads `in` and writes `out` (which may alias) within *outLen bytes.
using srtp2_inplace_fn = srtp_err_status_t (*)(srtp_t, void*, int*);
inline srtp_err_status_t srtp3_transform(
  srtp2_inplace_fn fn, srtp_t ctx, const uint8_t* in, size_t inLen, uint8_t* out, size_t* outLen, size_t growth)
{
	if (*outLen < inLen + growth)
		return srtp_err_status_buffer_small;
	if (out != in)
		std::memmove(out, in, inLen);
	int len                     = static_cast<int>(inLen);
	const srtp_err_status_t err = fn(ctx, out, &len);
	if (err == srtp_err_status_ok)
		*outLen = static_cast<size_t>(len);
	return err;
}
inline srtp_err_status_t srtp_protect(
  srtp_t ctx, const uint8_t* rtp, size_t len, uint8_t* srtp, size_t* srtpLen, size_t mki)
{
	return mki ? srtp_err_status_bad_mki
	           : srtp3_transform(srtp_protect, ctx, rtp, len, srtp, srtpLen, SRTP_MAX_TRAILER_LEN);
}
inline srtp_err_status_t srtp_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t len, uint8_t* srtcp, size_t* srtcpLen, size_t mki)
{
	// SRTCP adds the E flag + index (4 bytes) besides the trailer.
	return mki ? srtp_err_status_bad_mki
	           : srtp3_transform(srtp_protect_rtcp, ctx, rtcp, len, srtcp, srtcpLen, SRTP_MAX_TRAILER_LEN + 4);
}
inline srtp_err_status_t srtp_unprotect(srtp_t ctx, const uint8_t* srtp, size_t len, uint8_t* rtp, size_t* rtpLen)
{
	return srtp3_transform(srtp_unprotect, ctx, srtp, len, rtp, rtpLen, 0);
}
inline srtp_err_status_t srtp_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t len, uint8_t* rtcp, size_t* rtcpLen)
{
	return srtp3_transform(srtp_unprotect_rtcp, ctx, srtcp, len, rtcp, rtcpLen, 0);
}
EOF
}

# Source patches, each checked: a pattern that no longer matches fails the build loudly rather
# than producing a worker that crashes later.
patch_sources() {
  w=$1
  # Debian 12 ships meson 1.0.1; mediasoup asks for >= 1.1.0 but needs nothing newer.
  sed -i -E "s/meson_version: '>= 1\.[0-9]+\.[0-9]+'/meson_version: '>= 1.0.0'/" "$w/meson.build"
  # DTLS with a kTLS-enabled libssl (Debian's): mediasoup's BIO callback returns 1 for every
  # BIO_ctrl, so BIO_get_ktls_send() reads as true, libssl never allocates its DTLS write buffer
  # and the worker segfaults on the first ClientHello. Pass the real result through for every
  # BIO_CB_RETURN call (a flag OR'ed with the operation, not a value to compare).
  dtls=$w/src/RTC/DtlsTransport.cpp
  sed -i 's/(operationType == BIO_CB_RETURN)/((operationType \& BIO_CB_RETURN) != 0)/' "$dtls"
  grep -q '(operationType & BIO_CB_RETURN) != 0' "$dtls" ||
    die "the DTLS BIO callback patch no longer applies to $dtls; review it for mediasoup $VERSION"
}

build_from_source() {
  [ "$INSTALLED" = 0 ] || [ -f "$MS_DIR/worker/meson.build" ] ||
    die "mediasoup's worker sources are missing from $MS_DIR/worker (reinstall mediasoup)"
  ensure_build_packages
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  log "building mediasoup-worker $VERSION from source in $work (about 4 minutes on 2 cores)"
  # Sources ship in the npm package (worker/src, include, fbs, deps/libwebrtc): copy, never edit
  # node_modules in place, so a failed build leaves the installation untouched. Not installed yet:
  # the same package through npm (its cache, or the registry).
  mkdir -p "$work/worker"
  if [ "$INSTALLED" = 1 ]; then
    (cd "$MS_DIR/worker" && tar --exclude=./out --exclude=./prebuild -cf - .) | tar -xf - -C "$work/worker"
  else
    (cd "$work" && npm pack --silent "mediasoup@$VERSION" >/dev/null) ||
      die "mediasoup $VERSION is neither installed nor obtainable with npm pack"
    tar -xzf "$work/mediasoup-$VERSION.tgz" -C "$work" package/worker
    (cd "$work/package/worker" && tar -cf - .) | tar -xf - -C "$work/worker"
  fi
  write_system_subprojects "$work/worker/subprojects"
  patch_sources "$work/worker"
  opts=""
  # io_uring support needs a newer liburing than Debian 12 has; only some versions offer it.
  grep -q ms_disable_liburing "$work/worker/meson_options.txt" && opts="-Dms_disable_liburing=true"
  # `&&`, not a subshell under `set -e`: errexit is ignored on the left of `||`.
  # shellcheck disable=SC2086
  meson setup --wrap-mode=nodownload --buildtype release -Db_ndebug=true $opts "$work/worker/build" "$work/worker" >&2 &&
    meson compile -C "$work/worker/build" mediasoup-worker >&2 ||
    die "the source build failed (see the compiler output above)"
  worker_runs "$work/worker/build/mediasoup-worker" || die "the built worker does not run on this host"
  store_in_cache "$work/worker/build/mediasoup-worker" "source recipe $RECIPE"
  log "built and cached $CACHED_BIN"
}

finish() {
  if [ "$INSTALLED" = 1 ]; then
    install_for_mediasoup
  else
    log "mediasoup-worker $VERSION is cached; npm install will put it in node_modules"
    echo "$CACHED_BIN"
  fi
}

if cache_is_valid; then
  finish
  exit 0
fi
if [ -n "${MEDIASOUP_WORKER_BIN:-}" ]; then
  worker_runs "$MEDIASOUP_WORKER_BIN" || die "MEDIASOUP_WORKER_BIN=$MEDIASOUP_WORKER_BIN does not run on this host"
  store_in_cache "$MEDIASOUP_WORKER_BIN" user
elif try_prebuilt; then
  log "using mediasoup's prebuilt worker $VERSION"
else
  build_from_source
fi
finish
