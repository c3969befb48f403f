-- drops-user-data
-- Profiles and spaces go; conversations stay, keeping the space ids they name.
DROP TABLE space_profiles;
DROP TABLE spaces;
DROP TABLE model_profiles;
