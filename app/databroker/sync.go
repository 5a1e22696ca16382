package databroker

import (
	"context"
	"errors"
	"fmt"
	"io"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/databroker"
)

// Versions identify a point in a databroker's history: which storage
// (ServerVersion changes when it is reset) and the last change in it.
type Versions struct {
	// ServerVersion identifies the databroker's storage.
	ServerVersion uint64
	// LatestRecordVersion is the version of the latest change.
	LatestRecordVersion uint64
}

// Info describes a databroker for the cluster page.
type Info struct {
	// ServerVersion identifies the databroker's storage (not Pomerium's release).
	ServerVersion uint64
	// EarliestRecordVersion is the oldest change the databroker still keeps; 0 when unknown.
	EarliestRecordVersion uint64
	// LatestRecordVersion is the version of the latest change.
	LatestRecordVersion uint64
	// Core says which Pomerium releases the databroker can be: ServerInfo
	// arrived in v0.31.0, so a databroker without it is older.
	Core string
}

// Descriptions of Info.Core.
const (
	CoreWithServerInfo    = "v0.31 or newer"
	CoreWithoutServerInfo = "unknown (older than v0.31)"
)

// serverInfoProbeType is a record type nobody writes: SyncLatest of it
// returns just the versions, which is how ServerInfo falls back on a Core
// older than v0.31 without streaming real records.
const serverInfoProbeType = "pomerium-console.invalid/server-info-probe"

// ServerInfo reports the databroker's versions. Core before v0.31 has no
// ServerInfo call; then the versions come from SyncLatest and Core says so.
func (c *Client) ServerInfo(ctx context.Context) (Info, error) {
	res, err := c.api.ServerInfo(ctx, &emptypb.Empty{})
	if status.Code(err) == codes.Unimplemented {
		_, v, err := c.SyncLatest(ctx, serverInfoProbeType)
		if err != nil {
			return Info{}, err
		}
		return Info{ServerVersion: v.ServerVersion, LatestRecordVersion: v.LatestRecordVersion, Core: CoreWithoutServerInfo}, nil
	}
	if err != nil {
		return Info{}, c.wrap("server info", err)
	}
	return Info{
		ServerVersion:         res.GetServerVersion(),
		EarliestRecordVersion: res.GetEarliestRecordVersion(),
		LatestRecordVersion:   res.GetLatestRecordVersion(),
		Core:                  CoreWithServerInfo,
	}, nil
}

// SyncLatest returns every current record of typ ("" for all types) and the
// versions to continue from with Sync.
func (c *Client) SyncLatest(ctx context.Context, typ string) ([]*pb.Record, Versions, error) {
	stream, err := c.api.SyncLatest(ctx, &pb.SyncLatestRequest{Type: typ})
	if err != nil {
		return nil, Versions{}, c.wrap("sync latest", err)
	}
	var (
		records []*pb.Record
		v       *pb.Versions
	)
	for {
		res, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, Versions{}, c.wrap("sync latest", err)
		}
		switch {
		case res.GetRecord() != nil:
			records = append(records, res.GetRecord())
		case res.GetVersions() != nil:
			v = res.GetVersions()
		}
	}
	if v == nil {
		return nil, Versions{}, fmt.Errorf("databroker: sync latest: the databroker at %s ended the stream without versions", c.url)
	}
	return records, Versions{ServerVersion: v.GetServerVersion(), LatestRecordVersion: v.GetLatestRecordVersion()}, nil
}

// Sync calls fn with every change of typ ("" for all types) after from, in
// order; a deletion is a record with deleted_at set. With wait it keeps
// waiting for new changes until ctx ends; without, it returns once caught up
// (Core before v0.30 always waits). If the databroker's storage was reset
// since from, the error has code Aborted and the caller starts over with
// SyncLatest. An error from fn stops the sync and is returned as is.
func (c *Client) Sync(ctx context.Context, typ string, from Versions, wait bool, fn func(*pb.Record) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.api.Sync(ctx, &pb.SyncRequest{
		ServerVersion: from.ServerVersion,
		RecordVersion: from.LatestRecordVersion,
		Type:          typ,
		Wait:          proto.Bool(wait),
	})
	if err != nil {
		return c.wrap("sync", err)
	}
	for {
		res, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return c.wrap("sync", err)
		}
		if rec := res.GetRecord(); rec != nil {
			if err := fn(rec); err != nil {
				return err
			}
		}
	}
}
