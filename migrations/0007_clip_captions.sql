-- An uploaded clip may carry a captions track (WebVTT), stored beside it: '<sha-256>.vtt', or ''.
ALTER TABLE clips ADD COLUMN captions TEXT NOT NULL DEFAULT '';
