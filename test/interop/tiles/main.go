// Reads the aims evidence log over HTTP as a C2SP tlog-tiles client built on Go's reference packages,
// independently of the aims code: golang.org/x/mod/sumdb/note opens the served checkpoint, and
// golang.org/x/mod/sumdb/tlog reads the hash tiles through TileHashReader (which checks every tile it
// loads against the checkpoint's root), proves and checks records (ProveRecord/CheckRecord) whose hashes
// come from the entry bundles, and proves an older served checkpoint consistent (ProveTree/CheckTree).
// Prints one JSON object; exits 1 when anything does not check.
//
// Usage: go run . PREFIX BEARER_TOKEN VERIFIER_KEY OLD_CHECKPOINT_URL
//
//	PREFIX: the log's tlog-tiles prefix, e.g. http://127.0.0.1:3000/v1/evidence/tlog
package main

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type result struct {
	OK             bool     `json:"ok"`
	Error          string   `json:"error,omitempty"`
	Size           int64    `json:"size"`
	OldSize        int64    `json:"oldSize"`
	RecordsChecked int      `json:"recordsChecked"`
	OtherSigs      []string `json:"otherSigs"`
	TilesRead      []string `json:"tilesRead"`
}

type client struct {
	prefix, token string
	read          []string
}

func (c *client) get(url string) ([]byte, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %s", url, resp.Status, body)
	}
	return body, nil
}

// The C2SP path of a tile is Go's sumdb path without the height element: tile/8/L/N → tile/L/N.
func (c *client) tileURL(t tlog.Tile) string {
	return c.prefix + "/tile/" + strings.TrimPrefix(t.Path(), fmt.Sprintf("tile/%d/", t.H))
}

// tlog.TileReader over HTTP.
func (c *client) Height() int { return 8 }

func (c *client) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		url := c.tileURL(t)
		data, err := c.get(url)
		if err != nil {
			return nil, err
		}
		c.read = append(c.read, strings.TrimPrefix(url, c.prefix+"/"))
		out[i] = data
	}
	return out, nil
}

func (c *client) SaveTiles([]tlog.Tile, [][]byte) {}

// A checkpoint note opened with the verifier: its size and root, and the names on signatures by other
// keys (witnesses' cosignatures), which note.Open keeps unverified.
func openCheckpoint(msg []byte, verifier note.Verifier) (tlog.Tree, []string, error) {
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		return tlog.Tree{}, nil, err
	}
	others := []string{}
	for _, sig := range n.UnverifiedSigs {
		others = append(others, sig.Name)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 {
		return tlog.Tree{}, nil, errors.New("checkpoint: too few lines")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		return tlog.Tree{}, nil, err
	}
	raw, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(raw) != tlog.HashSize {
		return tlog.Tree{}, nil, errors.New("checkpoint: bad root hash")
	}
	var root tlog.Hash
	copy(root[:], raw)
	return tlog.Tree{N: size, Hash: root}, others, nil
}

// The record hashes of an entry bundle (uint16 big-endian length, then the bytes, per entry).
func bundleHashes(bundle []byte) ([]tlog.Hash, error) {
	var out []tlog.Hash
	for len(bundle) > 0 {
		if len(bundle) < 2 {
			return nil, errors.New("entry bundle: truncated length")
		}
		n := int(binary.BigEndian.Uint16(bundle))
		if len(bundle) < 2+n {
			return nil, errors.New("entry bundle: truncated entry")
		}
		out = append(out, tlog.RecordHash(bundle[2:2+n]))
		bundle = bundle[2+n:]
	}
	return out, nil
}

func main() {
	r := run(os.Args[1:])
	out, _ := json.Marshal(r)
	fmt.Println(string(out))
	if !r.OK {
		os.Exit(1)
	}
}

func run(args []string) (res result) {
	if len(args) != 4 {
		return result{Error: "usage: PREFIX BEARER_TOKEN VERIFIER_KEY OLD_CHECKPOINT_URL"}
	}
	c := &client{prefix: strings.TrimSuffix(args[0], "/"), token: args[1]}
	defer func() { res.TilesRead = c.read }()
	verifier, err := note.NewVerifier(args[2])
	if err != nil {
		return result{Error: "verifier key: " + err.Error()}
	}
	msg, err := c.get(c.prefix + "/checkpoint")
	if err != nil {
		return result{Error: err.Error()}
	}
	tree, others, err := openCheckpoint(msg, verifier)
	if err != nil {
		return result{Error: "checkpoint: " + err.Error()}
	}
	res.Size = tree.N
	res.OtherSigs = others
	hashes := tlog.TileHashReader(tree, c)

	// Every record: its hash from the entry bundle, proved in the tree by tlog from the tiles.
	for start := int64(0); start < tree.N; start += 256 {
		width := tree.N - start
		if width > 256 {
			width = 256
		}
		t := tlog.Tile{H: 8, L: -1, N: start / 256, W: int(width)}
		bundle, err := c.get(c.prefix + "/tile/entries/" + strings.TrimPrefix(t.Path(), "tile/8/data/"))
		if err != nil {
			res.Error = err.Error()
			return res
		}
		records, err := bundleHashes(bundle)
		if err != nil || int64(len(records)) != width {
			res.Error = fmt.Sprintf("entry bundle %d: %d records, %v", t.N, len(records), err)
			return res
		}
		for i, h := range records {
			index := start + int64(i)
			proof, err := tlog.ProveRecord(tree.N, index, hashes)
			if err == nil {
				err = tlog.CheckRecord(proof, tree.N, tree.Hash, index, h)
			}
			if err != nil {
				res.Error = fmt.Sprintf("record %d: %v", index, err)
				return res
			}
			res.RecordsChecked++
		}
	}
	if root, err := tlog.TreeHash(tree.N, hashes); err != nil || root != tree.Hash {
		res.Error = fmt.Sprintf("tree hash from tiles: %v", err)
		return res
	}

	// An older served checkpoint: the newer tree contains it.
	oldMsg, err := c.get(args[3])
	if err != nil {
		res.Error = err.Error()
		return res
	}
	old, _, err := openCheckpoint(oldMsg, verifier)
	if err != nil {
		res.Error = "old checkpoint: " + err.Error()
		return res
	}
	res.OldSize = old.N
	proof, err := tlog.ProveTree(tree.N, old.N, hashes)
	if err == nil {
		err = tlog.CheckTree(proof, tree.N, tree.Hash, old.N, old.Hash)
	}
	if err != nil {
		res.Error = "consistency: " + err.Error()
		return res
	}
	res.OK = true
	return res
}
