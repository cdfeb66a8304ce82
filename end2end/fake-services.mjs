// Stand-ins for the services the portal's server calls, for the browser tests (no internet here):
// Open-Meteo's forecast API and YouTube's thumbnail host. `node fake-services.mjs <port>`.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const thumbnail = readFileSync(new URL('./fixtures/thumb.jpg', import.meta.url));
export const FORECAST = {
  latitude: 20.625, longitude: 106.0625, utc_offset_seconds: 25200, timezone: 'Asia/Ho_Chi_Minh',
  current_units: { temperature_2m: '°C', relative_humidity_2m: '%', weather_code: 'wmo code', wind_speed_10m: 'km/h', wind_direction_10m: '°' },
  current: { time: '2026-11-27T14:30', interval: 900, temperature_2m: 24.6, relative_humidity_2m: 78, weather_code: 80, wind_speed_10m: 9.4, wind_direction_10m: 135 },
  daily: {
    time: ['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30'],
    weather_code: [80, 3, 61, 0],
    temperature_2m_max: [26.1, 25.0, 23.4, 27.9],
    temperature_2m_min: [19.8, 18.2, 17.5, 16.9],
    precipitation_probability_max: [70, 20, 85, 0],
  },
};

const port = Number(process.argv[2] || 3108);
createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/v1/forecast') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(FORECAST));
  } else if (/^\/vi\/[A-Za-z0-9_-]{11}\/hqdefault\.jpg$/.test(url.pathname)) {
    res.writeHead(200, { 'content-type': 'image/jpeg' });
    res.end(thumbnail);
  } else {
    res.writeHead(404);
    res.end();
  }
}).listen(port, '127.0.0.1');
