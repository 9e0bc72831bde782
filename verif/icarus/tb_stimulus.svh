// tb_stimulus.svh: the stimulus file of `sharpgen verify` (stim.bin, version 7) as both Icarus
// testbenches read it (tb_sharp.sv for sharp_top, tb_sharp_axi.sv for the AXI shell), included
// inside the testbench module after sharp_tb_params.svh and the localparams K and L.
// Little-endian int32 words, read with $fgetc. Four handles: weights, biases, x and the state
// stream each read from their own section of the file, so the streams can run concurrently.

  string stim_path, out_path;
  int fd_w, fd_b, fd_x, fd_s, fd_out;
  int H, X, T, width, nw, nb, nx, ns, stim_k, streams, sets, sslots, wave, cell_kind, init_state;
  longint out_beats;

  function automatic int read_i32(input int fd, input string what);
    int b0, b1, b2, b3;
    b0 = $fgetc(fd);
    b1 = $fgetc(fd);
    b2 = $fgetc(fd);
    b3 = $fgetc(fd);
    if (b0 < 0 || b1 < 0 || b2 < 0 || b3 < 0) begin
      $display("TB: FAIL: the stimulus file ends early (reading %s)", what);
      $finish;
    end
    read_i32 = {b3[7:0], b2[7:0], b1[7:0], b0[7:0]};
  endfunction

  // Opens stim_path and out_path: the header's fields, checked (magic, version 7, one weight set,
  // K, the file's size), the four read handles at their sections, out_beats.
  task automatic open_stimulus;
    int magic, version, file_words, expected_words, unused;
    fd_w = $fopen(stim_path, "rb");
    if (fd_w == 0) begin
      $display("TB: FAIL: cannot open %s", stim_path);
      $finish;
    end
    magic      = read_i32(fd_w, "header");
    version    = read_i32(fd_w, "header");
    H          = read_i32(fd_w, "header");
    X          = read_i32(fd_w, "header");
    T          = read_i32(fd_w, "header");
    width      = read_i32(fd_w, "header");
    nw         = read_i32(fd_w, "header");
    nb         = read_i32(fd_w, "header");
    nx         = read_i32(fd_w, "header");
    stim_k     = read_i32(fd_w, "header");
    streams    = read_i32(fd_w, "header");
    sets       = read_i32(fd_w, "header");
    sslots     = read_i32(fd_w, "header");
    wave       = read_i32(fd_w, "header");
    cell_kind  = read_i32(fd_w, "header");
    init_state = read_i32(fd_w, "header");
    if (magic != 32'h53484152 || version != 7) begin
      $display("TB: FAIL: %s is not a version-7 stimulus file (magic %h, version %0d)", stim_path, magic, version);
      $finish;
    end
    if (sets != 1 || sslots != 0) begin
      $display("TB: FAIL: this bench loads one weight set (the stimulus has %0d, STREAM_SLOTS %h)", sets, sslots);
      $finish;
    end
    if (stim_k != K) begin
      $display("TB: FAIL: stimulus packs %0d elements per beat, design has K = %0d", stim_k, K);
      $finish;
    end
    unused = $fseek(fd_w, 0, 2);
    file_words = $ftell(fd_w) / 4;
    ns = (init_state != 0) ? streams * ((H + L - 1) / L) : 0;
    expected_words = 16 + nw * K + nb + nx * K + ns * 2 * L;
    if (file_words != expected_words) begin
      $display("TB: FAIL: stimulus file has %0d words, its header says %0d", file_words, expected_words);
      $finish;
    end
    fd_b = $fopen(stim_path, "rb");
    fd_x = $fopen(stim_path, "rb");
    fd_s = $fopen(stim_path, "rb");
    unused = $fseek(fd_w, 4 * 16, 0);
    unused = $fseek(fd_b, 4 * (16 + nw * K), 0);
    unused = $fseek(fd_x, 4 * (16 + nw * K + nb), 0);
    unused = $fseek(fd_s, 4 * (16 + nw * K + nb + nx * K), 0);
    out_beats = longint'(T) * streams * ((H + L - 1) / L);
    fd_out = $fopen(out_path, "wb");
    if (fd_out == 0) begin
      $display("TB: FAIL: cannot write %s", out_path);
      $finish;
    end
  endtask

  // The eight counters (each testbench's read64 task reads one through its own port), and the
  // "TB: COUNTERS" line ci/icarus.sh compares with Verilator's.
  // (Module-level: Icarus 11 takes no unpacked array as a task port.)
  logic [63:0] cnt[8];
  task automatic read_counters;
    read64(kRegCYCLES_LO, cnt[0]);
    read64(kRegACTIVE_LO, cnt[1]);
    read64(kRegMACS_LO, cnt[2]);
    read64(kRegSTALL_INPUT_LO, cnt[3]);
    read64(kRegSTALL_H_LO, cnt[4]);
    read64(kRegSTALL_DRAIN_LO, cnt[5]);
    read64(kRegSTALL_OUTPUT_LO, cnt[6]);
    read64(kRegSTALL_ACT_LO, cnt[7]);
  endtask
  task automatic print_counters(input logic [31:0] status, input longint load_cycles, input longint run_cycles,
                                input longint oi, input longint xi);
    $write("TB: COUNTERS status=%0d load_cycles=%0d run_cycles=%0d out_beats=%0d x_beats=%0d", status, load_cycles,
           run_cycles, oi, xi);
    $display(" cycles=%0d active=%0d macs=%0d stall_input=%0d stall_h=%0d stall_drain=%0d stall_output=%0d stall_act=%0d",
             cnt[0], cnt[1], cnt[2], cnt[3], cnt[4], cnt[5], cnt[6], cnt[7]);
  endtask
