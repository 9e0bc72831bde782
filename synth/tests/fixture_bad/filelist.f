rtl/bad_latch.v
rtl/bad_top.v
