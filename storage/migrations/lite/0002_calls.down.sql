DROP TABLE answers;
DROP TABLE attempts;
DROP TABLE tasks;
DROP TABLE runs;
DROP TABLE fences;
DROP TABLE campaigns;
