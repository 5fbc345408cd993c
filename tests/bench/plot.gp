# SPDX-License-Identifier: GPL-2.0-or-later
# plot.gp: the benchmark's plot, one panel per command, wall time against
# the configuration's size, log-log, one line per contender.
#   gnuplot -e "datafile='plot.dat'; outfile='bench.png'" plot.gp
# plot.dat (report.py) holds one block per command, in the order of
# `titles`: "N floor ours fb" lines, NaN where a contender did not finish;
# the empty configuration (N=0) is drawn at N=1.
if (!exists("datafile")) datafile = 'plot.dat'
if (!exists("outfile")) outfile = 'bench.png'
titles = "restoreconfig saveconfig ls create_ramdisk create_LUN delete_LUN delete_ramdisk clearconfig"

set terminal pngcairo size 1600,900 font ",10"
set output outfile
set datafile missing "NaN"
set logscale xy
set format y "10^{%L}"
set xrange [0.7:20000]
set xtics ("empty" 1, "10" 10, "100" 100, "1000" 1000, "10^4" 10000)
set grid
set key bottom right
set xlabel "N (storage objects = LUNs; 4 ACLs x N mapped LUNs)"
set ylabel "wall time, s"
set multiplot layout 2,4 title "targetcli: ours vs targetcli-fb vs the configfs floor (missing points: did not finish)"
do for [i = 1:8] {
    set title word(titles, i) noenhanced
    plot datafile index (i - 1) using 1:2 with linespoints pt 7 lc rgb "#2ca02c" title "floor", \
         '' index (i - 1) using 1:3 with linespoints pt 5 lc rgb "#1f77b4" title "ours", \
         '' index (i - 1) using 1:4 with linespoints pt 9 lc rgb "#d62728" title "targetcli-fb"
}
unset multiplot
