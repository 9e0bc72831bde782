# sharpgen run_sta: the OpenSTA script (embedded at build time; sta_runner.cpp fills in the two
# placeholders: LIBERTIES = the Liberty files to read, JOBS = one {tag key netlist top clock
# period activity delays arrivals} list per design to analyse; `delays`: a file of boundary
# constraints (input delays and transitions, output loads; see sharp_boundary) applied after
# the defaults ("" for none); `arrivals` 1: emit the worst arrival and transition at every
# output port that has one). Results go to stdout as "@@SHARP<TAB>..." lines.
foreach lib @LIBERTIES@ { read_liberty $lib }

proc sharp_emit {args} { puts "@@SHARP\t[join $args \t]" }
proc sharp_setup {clk period} {
  set clkport ""
  if {$clk ne ""} { set clkport [get_ports -quiet $clk] }
  if {$clkport ne ""} {
    create_clock -name sharp_clk -period $period $clkport
  } else {
    create_clock -name sharp_clk -period $period
  }
  # Not all_inputs/all_outputs: they take minutes on a cut netlist with 500 k ports (quadratic).
  set ins {}
  set outs {}
  foreach p [get_ports *] {
    set d [sta::port_direction $p]
    if {$d eq "input"} {
      if {$clk eq "" || [get_name $p] ne $clk} { lappend ins $p }
    } elseif {$d eq "output"} {
      lappend outs $p
    }
  }
  if {[llength $ins] > 0} { set_input_delay 0 -clock sharp_clk $ins }
  if {[llength $outs] > 0} { set_output_delay 0 -clock sharp_clk $outs }
  return $outs
}
# Boundary constraints from a file holding a Tcl list of {command value {port names}}, command
# one of delay, slew, load (read as data: OpenSTA's `source` runs at global level). Ports are
# looked up by name in one dict (not get_ports per name, which scans every port: quadratic on a
# cut netlist).
proc sharp_boundary {file} {
  set f [open $file r]
  set entries [read $f]
  close $f
  set byname [dict create]
  foreach p [get_ports *] { dict set byname [get_name $p] $p }
  foreach entry $entries {
    lassign $entry cmd v names
    set ports {}
    foreach n $names { if {[dict exists $byname $n]} { lappend ports [dict get $byname $n] } }
    if {![llength $ports]} { continue }
    switch -- $cmd {
      delay { set_input_delay $v -clock sharp_clk $ports }
      slew { set_input_transition $v $ports }
      load { set_load $v $ports }
    }
  }
}
# The worst arrival and the worst transition (s) at each output port some path reaches.
proc sharp_arrivals {tag key outs} {
  foreach p $outs {
    set pin [sta::get_port_pin_error "port" $p]
    foreach v [$pin vertices] {
      set path [sta::vertex_worst_arrival_path $v max]
      if {$path ne "NULL"} {
        sharp_emit arr $tag $key [get_name $p] [$path arrival] [expr {max([$v slew rise max], [$v slew fall max])}]
      }
    }
  }
}
proc sharp_worst {} {
  set best {}
  set bs 1e30
  foreach pe [find_timing_paths -path_delay max -group_count 1 -endpoint_count 1 -sort_by_slack] {
    set s [$pe slack]
    if {$s < $bs} {
      set pins [[$pe path] pins]
      set bs $s
      set start [get_full_name [lindex $pins end]]
      foreach p [lreverse $pins] {
        if {![sta::pin_is_clock $p]} { set start [get_full_name $p]; break }
      }
      set best [list $s $start [get_full_name [[$pe vertex] pin]]]
    }
  }
  return $best
}
proc sharp_power {act} {
  set_power_activity -global -activity $act -duty 0.5
  return [lrange [sta::design_power [sta::cmd_corner]] 0 2]
}
proc sharp_analyse {tag key file top clk period act delays arrivals} {
  read_verilog $file
  link_design $top
  set outs [sharp_setup $clk $period]
  if {$delays ne ""} { sharp_boundary $delays }
  set w [sharp_worst]
  if {[llength $w]} { sharp_emit path $tag $key {*}$w } else { sharp_emit nopath $tag $key }
  if {$arrivals} { sharp_arrivals $tag $key $outs }
  sharp_emit power $tag $key {*}[sharp_power $act]
}

if {[catch {sta::OperatingConditions_voltage [sta::default_operating_conditions]} v]} { set v -1 }
sharp_emit voltage $v
foreach job @JOBS@ {
  lassign $job tag key file top clk period act delays arrivals
  if {[catch {sharp_analyse $tag $key $file $top $clk $period $act $delays $arrivals} err]} {
    sharp_emit error $tag $key [string map {"\n" " " "\t" " "} $err]
  }
}
sharp_emit done
