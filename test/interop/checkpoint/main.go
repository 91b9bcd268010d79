// Checks an aims signed checkpoint with Go's reference packages, independently of the aims code:
// golang.org/x/mod/sumdb/note opens the signed note with the verifier key, and golang.org/x/mod/sumdb/tlog
// computes the RFC 6962 root over the leaves (one leaf's data per line of the export file, without the
// line feed). Prints one JSON object; exits 1 when anything does not match.
//
// Usage: go run . VERIFIER_KEY CHECKPOINT_FILE EXPORT_FILE
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type result struct {
	OK       bool   `json:"ok"`
	Error    string `json:"error,omitempty"`
	Origin   string `json:"origin,omitempty"`
	Size     int64  `json:"size"`
	Signer   string `json:"signer,omitempty"`
	GoRoot   string `json:"goRoot,omitempty"`
	NoteRoot string `json:"noteRoot,omitempty"`
}

func main() {
	r := run(os.Args[1:])
	out, _ := json.Marshal(r)
	fmt.Println(string(out))
	if !r.OK {
		os.Exit(1)
	}
}

func run(args []string) result {
	if len(args) != 3 {
		return result{Error: "usage: VERIFIER_KEY CHECKPOINT_FILE EXPORT_FILE"}
	}
	verifier, err := note.NewVerifier(args[0])
	if err != nil {
		return result{Error: "verifier key: " + err.Error()}
	}
	msg, err := os.ReadFile(args[1])
	if err != nil {
		return result{Error: err.Error()}
	}
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		return result{Error: "note: " + err.Error()}
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 {
		return result{Error: "checkpoint: too few lines"}
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		return result{Error: "checkpoint size: " + err.Error()}
	}
	res := result{Origin: lines[0], Size: size, Signer: n.Sigs[0].Name, NoteRoot: lines[2]}

	f, err := os.Open(args[2])
	if err != nil {
		res.Error = err.Error()
		return res
	}
	defer f.Close()
	var stored []tlog.Hash
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			out[i] = stored[x]
		}
		return out, nil
	})
	scanner := bufio.NewScanner(f)
	scanner.Buffer(make([]byte, 4<<20), 4<<20)
	var count int64
	for count < size && scanner.Scan() {
		hashes, err := tlog.StoredHashes(count, scanner.Bytes(), reader)
		if err != nil {
			res.Error = err.Error()
			return res
		}
		stored = append(stored, hashes...)
		count++
	}
	if count < size {
		res.Error = fmt.Sprintf("export has %d leaves, checkpoint says %d", count, size)
		return res
	}
	root, err := tlog.TreeHash(size, reader)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	res.GoRoot = base64.StdEncoding.EncodeToString(root[:])
	res.OK = res.GoRoot == res.NoteRoot
	if !res.OK {
		res.Error = "root hash differs from tlog's"
	}
	return res
}
