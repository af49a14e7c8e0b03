# Sourced by tests that may have to skip: skip REASON exits 77 (ctest's skip), except under
# CI=true, where a test that did not run must fail so that CI cannot pass without it.
skip() {
    if [ "${CI:-}" = true ]; then
        echo "FAIL (CI=true, would skip): $*"
        exit 1
    fi
    echo "SKIP: $*"
    exit 77
}
