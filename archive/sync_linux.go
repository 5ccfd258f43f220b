package archive

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncObjects makes the given object files and directories durable with
// one syncfs(2) of the filesystem holding objectsDir, which flushes them
// all at once; it falls back to fsyncing each one when syncfs fails.
func syncObjects(objectsDir string, files []string, dirs map[string]bool) error {
	d, err := os.Open(objectsDir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := unix.Syncfs(int(d.Fd())); err == nil {
		return nil
	}
	return syncEach(files, dirs)
}
