-- A force's day counts are its courts' added up (the courts named by the tallies): the cells of
-- every court by one force are no longer kept.
DELETE FROM mi_timeliness WHERE court = '*' AND force != '*';
