{#- Cover of the printable induction pack. The default cover links to the plugin's website; this
    one holds nothing that leaves the site. -#}
<div class="induction-cover">
  <p class="induction-cover__kicker">Induction pack</p>
  <h1>{{ config.site_name|e }}</h1>
  <p>{{ config.site_description|e }}</p>
  <p>Built for: <strong>{{ config.extra.office.name|e }}</strong></p>
  <p>Every rule carries its source in square brackets, for example [001 §7]: policy 001, section 7.
     The Sources section at the end lists every clause cited.</p>
</div>
