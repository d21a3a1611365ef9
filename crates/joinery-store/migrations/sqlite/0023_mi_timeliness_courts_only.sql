-- Day counts are kept at each court with each force only. A police force's and the whole
-- country's (`*` court) were kept apart so that their medians read few rows; each quarter's
-- day counts over a scope are now kept by the reader and read again in the background once
-- they move, so the ingest's second and third write per ended stretch went instead. A force's
-- and the country's day counts are their courts' added up as they are read.
DELETE FROM mi_timeliness WHERE court = '*';
