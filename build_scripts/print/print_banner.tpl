{#- Shown on screen above the induction pack, hidden when printed. No outside links. -#}
<p><strong>This is the whole handbook on one page, for printing.</strong>
   Use your browser's Print command (Ctrl+P, or Cmd+P on a Mac); choose "Save as PDF" to keep a copy.
   This box is not printed.</p>
