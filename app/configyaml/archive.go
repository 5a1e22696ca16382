package configyaml

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"path"
	"strings"
)

// maxArchiveFile bounds what one file of an archive may hold.
const maxArchiveFile = 4 << 20

// ParseZip reads a zip holding a config.yaml at its top (config.yaml
// first, else the one .yaml or .yml there) and the files it names, as
// Bundle.Zip writes it; file names the zip in messages.
func ParseZip(file string, data []byte) (*Plan, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, Problems{{File: file, Message: "is not a readable zip: " + err.Error()}}
	}
	files := map[string]*zip.File{}
	var yamlName string
	for _, f := range zr.File {
		name := path.Clean(f.Name)
		files[name] = f
		isYAML := strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
		if !strings.Contains(name, "/") && isYAML && (yamlName == "" || name == "config.yaml") {
			yamlName = name
		}
	}
	if yamlName == "" {
		return nil, Problems{{File: file, Message: "holds no config.yaml (nor any .yaml file) at its top"}}
	}
	read := func(name string) ([]byte, error) {
		f, ok := files[path.Clean(name)]
		if !ok {
			return nil, fmt.Errorf("%s does not hold it", file)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return io.ReadAll(io.LimitReader(rc, maxArchiveFile))
	}
	yamlData, err := read(yamlName)
	if err != nil {
		return nil, Problems{{File: file + "/" + yamlName, Message: "cannot be read: " + err.Error()}}
	}
	return Parse(file+"/"+yamlName, yamlData, WithReadFile(read))
}
