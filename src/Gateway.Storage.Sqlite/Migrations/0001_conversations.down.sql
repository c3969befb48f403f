-- drops-user-data
DROP TABLE messages;
DROP TABLE conversations;
