// Package testdisk gives tests a small disk of their own, to see what the
// code does when the disk is full.
package testdisk

import (
	"os"
	"os/exec"
	"testing"
)

// Small mounts a tmpfs of size (as mount takes it, e.g. "3m") on a fresh
// temporary directory, unmounted when the test ends, and returns the
// directory. It skips the test where that is not allowed: not root, or no
// mount in this sandbox.
func Small(t testing.TB, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("a full disk needs a small tmpfs: run as root to mount one")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s): full-disk test skipped", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })
	return dir
}
