package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// uploadChunk is how much of a staged file one row holds: reading a file
// back takes one query per chunk and one chunk of memory.
const uploadChunk = 1 << 20

// StageUpload stores r (at most max bytes) as a staged upload of user by,
// kept until ttl passes, and returns its token. Expired uploads are
// removed on the way. Errors: stats.ErrTooLarge (nothing is kept).
func (db *DB) StageUpload(ctx context.Context, by int64, token, name string, r io.Reader, max int64, ttl time.Duration) (int64, error) {
	var size int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM ingest_batches WHERE expires_at < now()`); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO ingest_batches (token, created_by, name, expires_at)
			VALUES ($1, $2, $3, now() + $4::interval) RETURNING id`, token, by, name, ttl.String()).Scan(&id); err != nil {
			return err
		}
		buf := make([]byte, uploadChunk)
		for n := 0; ; n++ {
			k, err := io.ReadFull(r, buf)
			if k > 0 {
				size += int64(k)
				if size > max {
					return stats.ErrTooLarge
				}
				if _, err := tx.Exec(ctx, `INSERT INTO ingest_chunks (batch_id, n, data) VALUES ($1, $2, $3)`, id, n, buf[:k]); err != nil {
					return err
				}
			}
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				break
			}
			if err != nil {
				return fmt.Errorf("read upload: %w", err)
			}
		}
		_, err := tx.Exec(ctx, `UPDATE ingest_batches SET size = $2 WHERE id = $1`, id, size)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("stage upload: %w", translate(err))
	}
	return size, nil
}

// OpenUpload reads back the upload with token staged by user by, chunk by
// chunk. Errors: stats.ErrNotFound (never staged, dropped or expired).
func (db *DB) OpenUpload(ctx context.Context, by int64, token string) (io.Reader, string, error) {
	var id int64
	var name string
	err := db.pool.QueryRow(ctx, `SELECT id, name FROM ingest_batches
		WHERE token = $1 AND created_by = $2 AND expires_at >= now()`, token, by).Scan(&id, &name)
	if err != nil {
		return nil, "", fmt.Errorf("open upload: %w", translate(err))
	}
	return &chunkReader{ctx: ctx, db: db, id: id}, name, nil
}

// DropUpload removes a staged upload.
func (db *DB) DropUpload(ctx context.Context, by int64, token string) error {
	if _, err := db.pool.Exec(ctx, `DELETE FROM ingest_batches WHERE token = $1 AND created_by = $2`, token, by); err != nil {
		return fmt.Errorf("drop upload: %w", translate(err))
	}
	return nil
}

// chunkReader reads a staged upload's chunks in order.
type chunkReader struct {
	ctx  context.Context
	db   *DB
	id   int64
	next int
	buf  []byte
	done bool
}

func (r *chunkReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.done {
			return 0, io.EOF
		}
		err := r.db.pool.QueryRow(r.ctx, `SELECT data FROM ingest_chunks WHERE batch_id = $1 AND n = $2`, r.id, r.next).Scan(&r.buf)
		if errors.Is(err, pgx.ErrNoRows) {
			r.done = true
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("read upload chunk %d: %w", r.next, translate(err))
		}
		r.next++
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}
