"""Loading: source documents and files become tidy tables, then graph batches written to a store
(`pipeline`), with names reconciled (`registry`, `names`), amounts converted (`in_cop`), every fact's
provenance audited (`provenance_audit`) and each load recorded (`history`)."""
