{#- Reading victims' names out of free text (sources declaring `victims_from_text`, such as an
    Uwazi event whose template has no victim property: "Kyrgyzstan: journalist Venera Djumataeva
    detained in Bishkek", "Police detained journalists A (Outlet), B and C"). Used by
    int_victims_from_text. The patterns are stated once here. -#}

{#- A capitalised word of a name (Latin or Cyrillic; hyphens and apostrophes inside). -#}
{% macro hrdw_text_name_word() -%}
    {{ return("\\p{Lu}[\\p{L}'’-]*\\p{L}") }}
{%- endmacro %}

{#- A person's name: two to four capitalised words, with Central Asian and Arabic particles
    (uulu, kyzy, ibn...) allowed between or after them. -#}
{% macro hrdw_text_person_name() -%}
    {%- set word = hrdw_text_name_word() -%}
    {%- set particle = "(?:uulu|kyzy|kizi|qizi|ugli|ogli|uly|ibn|bin|al|el|de|van|von)" -%}
    {{ return(word ~ "(?:\\s+(?:" ~ particle ~ "\\s+)?" ~ word ~ "){1,3}(?:\\s+" ~ particle ~ "\\b)?") }}
{%- endmacro %}

{#- Words naming a victim's role, English and Russian, singular and plural (the words that
    introduce victims in CPJ-style titles and descriptions; "director" or "coordinator" do not:
    they introduce the people quoted). -#}
{% macro hrdw_text_role_words() -%}
    {%- set english = "[Jj]ournalists?|[Rr]eporters?|[Bb]loggers?|[Ee]ditors?(?:-in-[Cc]hief)?|[Cc]orrespondents?"
        ~ "|[Pp]hotojournalists?|[Pp]hotographers?|[Cc]amera(?:man|men|\\s+operators?)|[Aa]ctivists?"
        ~ "|[Dd]efenders?|HRDs?|[Ll]awyers?|[Mm]edia\\s+workers?|[Cc]olumnists?|[Ff]reelancers?|[Pp]resenters?" -%}
    {%- set russian = "[Жж]урналист\\p{L}*|[Бб]логер\\p{L}*|[Бб]логгер\\p{L}*|[Пп]равозащитни\\p{L}*"
        ~ "|[Аа]ктивист\\p{L}*|[Аа]двокат\\p{L}*|[Юю]рист\\p{L}*|[Кк]орреспондент\\p{L}*|[Фф]отограф\\p{L}*"
        ~ "|[Рр]едактор\\p{L}*|[Оо]ператор\\p{L}*|[Фф]отожурналист\\p{L}*|[Сс]отрудни\\p{L}*\\s+СМИ" -%}
    {{ return("(?:" ~ english ~ "|" ~ russian ~ ")") }}
{%- endmacro %}

{#- A role word after a possessive ("their editor", "his lawyer", "её адвокат") introduces someone
    who speaks for the victim, not a victim: such phrases are blanked before the patterns run. -#}
{% macro hrdw_text_spokesperson() -%}
    {{ return("(?:\\b(?:[Tt]heir|[Hh]is|[Hh]er|[Ii]ts|[Oo]ur|[Ww]hose)|(?:^|\\s)(?:[Ии]х|[Ее]го|[Ее]ё|[Ее]е))\\s+"
        ~ hrdw_text_role_words()) }}
{%- endmacro %}

{#- People quoted or named for context, not victims: "program coordinator, Gulnoza Said",
    "Interior Ministry spokesperson X", "X, director of the service", "X, a nationalist
    politician", "заявил координатор программы CPJ ... X". Blanked before the patterns run. -#}
{% macro hrdw_text_speaker() -%}
    {%- set office = "(?:[Cc]oordinator|[Ss]pokesperson|[Ss]pokes(?:wo)?man|[Dd]irector|[Mm]inister|[Oo]fficials?"
        ~ "|[Pp]olitician|[Pp]resident|[Cc]hairman|[Pp]rosecutor|[Jj]udge|[Gg]overnor|[Mm]ayor|[Dd]eputy|[Hh]ead)" -%}
    {%- set russian_office = "(?:[Кк]оординатор|[Пп]редставител|[Пп]ресс-секретар|[Дд]иректор|[Мм]инистр|[Пп]олитик|[Дд]епутат)\\p{L}*" -%}
    {%- set name = hrdw_text_person_name() -%}
    {{ return("(?:" ~ office ~ "\\s*,?\\s+" ~ name
        ~ "|" ~ name ~ ",\\s+(?:(?:the|an?)\\s+)?(?:[\\p{L}-]+\\s+){0,3}?" ~ office ~ "\\b"
        ~ "|" ~ russian_office ~ "[^.«»“”\\n]{0,80}?\\s" ~ name ~ ")") }}
{%- endmacro %}

{#- A name opening a title or text, followed by what happened to them: "Sherali Fayziullozoda
    attacked in Bokhtar", "Kyrgyzstan: Toktogul Shermurat uulu targeted by ...". -#}
{% macro hrdw_text_name_then_verb() -%}
    {%- set verbs = "(?:was\\s+|were\\s+|is\\s+|has\\s+been\\s+)?(?:attacked|assaulted|beaten|detained|arrested|held"
        ~ "|charged|sentenced|fined|threatened|harassed|targeted|receives?|received|faces?|killed|murdered|shot"
        ~ "|abducted|kidnapped|missing|disappeared|summoned|questioned|interrogated|jailed|imprisoned|deported"
        ~ "|sued|prosecuted|intimidated|banned|searched|injured|wounded|released|convicted|expelled|denied)\\b" -%}
    {{ return("^(?:[^:]{1,60}:\\s+)?(" ~ hrdw_text_person_name() ~ ")\\s+" ~ verbs) }}
{%- endmacro %}

{#- An outlet's name introduced or followed by what it is: "media outlet Kogham", "news agency
    Soz", "Kogham, a media outlet", "Umit news agency", "издание Вестник". -#}
{% macro hrdw_text_named_outlet() -%}
    {%- set word = hrdw_text_name_word() -%}
    {%- set outlet = word ~ "(?:[\\s-]+" ~ word ~ "){0,2}" -%}
    {%- set kind = "(?:[Mm]edia\\s+outlet|[Oo]utlet|[Nn]ews\\s+agency|[Nn]ewspaper|[Nn]ews\\s+(?:web)?site|[Ww]ebsite"
        ~ "|TV\\s+channel|[Bb]roadcaster|[Mm]agazine|[Ии]здани\\p{L}*|СМИ|[Гг]азет\\p{L}*|[Тт]елеканал\\p{L}*"
        ~ "|[Аа]гентств\\p{L}*|[Ии]нформагентств\\p{L}*)" -%}
    {{ return("(?:" ~ kind ~ "\\s+(?:media\\s+)?(" ~ outlet ~ ")|(" ~ outlet ~ "),\\s+(?:an?|the)\\s+(?:[\\p{Ll}-]+\\s+){0,2}"
        ~ kind ~ "|(" ~ word ~ "(?:\\s+" ~ word ~ ")?\\s+(?:news\\s+agency|newspaper|TV|television|radio)))") }}
{%- endmacro %}

{#- One name with what may follow it in parentheses (an outlet, or the name in the original
    script): group 1 the name, group 2 the parenthesis. -#}
{% macro hrdw_text_listed_name() -%}
    {{ return("(" ~ hrdw_text_person_name() ~ ")(?:\\s*\\(([^()]{1,80})\\))?") }}
{%- endmacro %}

{#- Names listed right after a role word: "journalists A (Outlet), B and C", "журналист А". -#}
{% macro hrdw_text_role_then_names() -%}
    {%- set listed = hrdw_text_person_name() ~ "(?:\\s*\\([^()]{1,80}\\))?" -%}
    {%- set joiner = "(?:\\s*,\\s*(?:and\\s+|и\\s+)?|\\s+and\\s+|\\s+и\\s+)" -%}
    {{ return(hrdw_text_role_words() ~ "\\s+(" ~ listed ~ "(?:" ~ joiner ~ listed ~ ")*)") }}
{%- endmacro %}

{#- A name followed by its role: "Venera Djumataeva, a journalist with ...". -#}
{% macro hrdw_text_name_then_role() -%}
    {%- set qualifier = "(?:independent|freelance|local|prominent|well-known|opposition|investigative|veteran|young"
        ~ "|exiled|human\\s+rights|civic|online|sports|political|television|radio|newspaper)" -%}
    {{ return("(" ~ hrdw_text_person_name() ~ ")(?:\\s*\\([^()]{1,80}\\))?,\\s+(?:(?:an?|the)\\s+)?(?:"
        ~ qualifier ~ "\\s+)?" ~ hrdw_text_role_words() ~ "\\b") }}
{%- endmacro %}

{#- An outlet's name: a run of capitalised words with a word that names a medium ("Radio Azattyk",
    "Kloop Media", "Vlast.kz"); an organisation victim is the outlet its text names most. -#}
{% macro hrdw_text_outlet_name() -%}
    {%- set word = hrdw_text_name_word() -%}
    {%- set medium = "(?:Radio|TV|Television|Media|News|Newspaper|Gazeta|Agency|Channel|Telekanal|Portal|Press|Times"
        ~ "|Post|Daily|Weekly|Journal|Magazine|Info|Online|Радио|Газета|Телеканал|Агентство)" -%}
    {{ return("(" ~ medium ~ "(?:\\s+" ~ word ~ "){1,2}|" ~ word ~ "(?:\\s+" ~ word ~ ")?\\s+" ~ medium
        ~ "|" ~ word ~ "\\.(?:kg|kz|uz|tj|tm|ru|org|com|net))") }}
{%- endmacro %}

{#- A name's words from the first one that is no part of a name (a verb or preposition that a
    title in Title Case capitalises: "Journalist Ivan Petrov Detained In Osh"). -#}
{% macro hrdw_text_name_tail() -%}
    {{ return("\\s+(?:Detained|Arrested|Attacked|Assaulted|Beaten|Killed|Murdered|Shot|Threatened|Harassed|Summoned"
        ~ "|Questioned|Fined|Sentenced|Charged|Jailed|Imprisoned|Missing|Abducted|Released|Deported|Banned|Sued"
        ~ "|Searched|Raided|Injured|Wounded|Found|Dead|Reported|In|At|On|Of|From|For|With|By|And|After|Over|To"
        ~ "|Задержан\\p{L}*|Арестован\\p{L}*|Избит\\p{L}*|Убит\\p{L}*|Осужден\\p{L}*|Осуждён\\p{L}*|Оштрафован\\p{L}*)(?:\\s.*)?$") }}
{%- endmacro %}

{#- One row per declared text of each report that names no victim in a field: report_id,
    victim_kind, field_rank (the order of `victims_from_text`), field_name, body. `reports` is a relation or
    CTE with the staging contract's columns. -#}
{% macro hrdw_victim_texts(reports) -%}
    {%- for source_name, text_columns in hrdw_victims_from_text().items() %}
        {%- for column in text_columns %}
    select
        report_id,
        victim_kind,
        {{ loop.index }} as field_rank,
        '{{ column }}' as field_name,
        {{ column }} as body
    from {{ reports }}
    where
        source_name = '{{ source_name }}'
        and victim_name is null
        and victim_name_original is null
        and {{ column }} is not null
    union all
        {%- endfor %}
    {%- endfor %}
    select
        cast(null as varchar) as report_id,
        cast(null as varchar) as victim_kind,
        0 as field_rank,
        cast(null as varchar) as field_name,
        cast(null as varchar) as body
    where false
{%- endmacro %}

{#- One output row per match of `pattern` in `expression`: the text of capture group `group`
    (for use in a select list; two calls with one pattern in one select list zip). -#}
{% macro hrdw_regex_rows(expression, pattern, group) -%}
    {{ return(adapter.dispatch('hrdw_regex_rows', 'hrdw')(expression, pattern, group)) }}
{%- endmacro %}
{% macro duckdb__hrdw_regex_rows(expression, pattern, group) -%}
    unnest(regexp_extract_all({{ expression }}, {{ hrdw_sql_string(pattern) }}, {{ group }}))
{%- endmacro %}
{% macro default__hrdw_regex_rows(expression, pattern, group) -%}
    (regexp_matches({{ expression }}, {{ hrdw_sql_string(pattern) }}, 'g'))[{{ group }}]
{%- endmacro %}

{#- One output row per run of 2 to `max_size` consecutive capitalised words (`word`) in
    `expression`: the n-grams where a name known from other records may be written. -#}
{% macro hrdw_word_gram_rows(expression, word, max_size) -%}
    {{ return(adapter.dispatch('hrdw_word_gram_rows', 'hrdw')(expression, word, max_size)) }}
{%- endmacro %}
{% macro duckdb__hrdw_word_gram_rows(expression, word, max_size) -%}
    {%- set runs = "[string_split_regex(run, '\\s+') for run in regexp_extract_all(" ~ expression ~ ", "
        ~ hrdw_sql_string(word ~ "(?:\\s+" ~ word ~ ")+") ~ ")]" -%}
    unnest(flatten([
        {%- for size in range(2, max_size + 1) %}
        {%- if not loop.first %}, {% endif -%}
        flatten([
            [array_to_string(tokens[start_at:start_at + {{ size - 1 }}], ' ')
                for start_at in range(1, len(tokens) - {{ size - 2 }})]
            for tokens in {{ runs }}
        ])
        {%- endfor %}
    ]))
{%- endmacro %}
{% macro default__hrdw_word_gram_rows(expression, word, max_size) -%}
    {{ exceptions.raise_compiler_error("hrdw_word_gram_rows has no implementation for adapter " ~ adapter.type()) }}
{%- endmacro %}
