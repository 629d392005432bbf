"""What every picture drawn on the server as SVG shares: the bar charts (ema.charts) and the
network picture (partners.network) are as wide, write text as large, and take their colours
from one palette, so that they read alike side by side and on a phone."""

# A fixed width, so that text scales the same in every picture whatever it holds: 20 units in
# 640 are about 11.5 px on a 390 px phone. More content makes a picture taller, not smaller.
WIDTH = 640
FONT_SIZE = 20
LINE_HEIGHT = 22
# A baseline this many font sizes below a point centres one line of text on it.
MIDDLE_BASELINE = 0.35

# Okabe-Ito: colours that people with a colour-vision deficiency tell apart, and that print.
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
GREY = "#999999"
