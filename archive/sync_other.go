//go:build !linux

package archive

// syncObjects makes the given object files and directories durable by
// fsyncing each one.
func syncObjects(objectsDir string, files []string, dirs map[string]bool) error {
	return syncEach(files, dirs)
}
