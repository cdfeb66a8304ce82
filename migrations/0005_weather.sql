-- The weather widget: where the commune is (site settings, editable by admins), and the last good
-- answer of the weather service, so a restart shows it at once.

INSERT INTO site_settings (key, value) VALUES
    ('weather_place', 'Hưng Yên'),
    ('weather_latitude', '20.6464'),
    ('weather_longitude', '106.0511')
ON CONFLICT (key) DO NOTHING;

CREATE TABLE weather_cache (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    fetched_at TEXT    NOT NULL,  -- UTC 'YYYY-MM-DD HH:MM:SS'
    json       TEXT    NOT NULL   -- model::Weather
) STRICT;
