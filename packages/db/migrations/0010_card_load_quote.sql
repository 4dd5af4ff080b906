-- A card load stores its whole quote when it is made, and posting books what the quote says: the rate (already
-- stored), the spread in basis points, the gross, spread, fee and net USD amounts (amount_usd_minor is the net), the
-- time of the quote and the version of the FX configuration it was made under. Loads made before this migration have
-- no stored quote (null columns); their posting takes the spread from the hold's result recorded in their workflow.
alter table card_load
  add column gross_usd_minor int8 check (gross_usd_minor > 0),
  add column spread_usd_minor int8 check (spread_usd_minor >= 0),
  add column fee_usd_minor int8 check (fee_usd_minor >= 0),
  add column spread_basis_points int4 check (spread_basis_points between 0 and 10000),
  add column quoted_at timestamptz,
  add column quote_config_version text check (length(quote_config_version) between 1 and 200),
  -- Either the whole quote is stored or none of it (a load made before this migration).
  add check (
    (gross_usd_minor is null) = (spread_usd_minor is null)
    and (gross_usd_minor is null) = (fee_usd_minor is null)
    and (gross_usd_minor is null) = (spread_basis_points is null)
    and (gross_usd_minor is null) = (quoted_at is null)
    and (gross_usd_minor is null) = (quote_config_version is null)
  ),
  add check (gross_usd_minor is null or gross_usd_minor = amount_usd_minor + spread_usd_minor + fee_usd_minor);
