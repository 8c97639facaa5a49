DROP TABLE alert_events;
DROP TABLE alerts;
DROP TABLE health_records;
