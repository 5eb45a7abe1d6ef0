{#- Normalisation used by matching: one definition each, applied in staging or conformed models. -#}

{#- Names, romanisation-insensitive.
    hrdw_clean_name: lower-case, Cyrillic transliterated through the `transliteration` seed
    (Russian, Kyrgyz, Kazakh, Tajik, Ukrainian letters), accents stripped, anything but a-z0-9
    turned into spaces.
    hrdw_name_key: the cleaned tokens sorted ("Saipov, Alisher" = "Alisher Saipov").
    hrdw_name_skeleton_key: each token folded to a consonant skeleton, then sorted, so that
    romanisation schemes agree: Djumataeva / Dzhumataeva / Dzhumatayeva / Джуматаева -> "jmtv"
    (see hrdw_fold_digraphs for the folds). -#}
{% macro hrdw_transliteration_pairs() -%}
    {%- set seed = ref('transliteration') -%}
    {%- if execute -%}
        {%- set result = run_query("select cyrillic, coalesce(latin, '') from " ~ seed ~ " order by length(cyrillic) desc, cyrillic") -%}
        {{ return(result.rows | map('list') | list) }}
    {%- else -%}
        {{ return([]) }}
    {%- endif -%}
{%- endmacro %}

{% macro hrdw_clean_name(expression) -%}
    {{ return(adapter.dispatch('hrdw_clean_name', 'hrdw')(expression)) }}
{%- endmacro %}
{#- Multi-letter renderings go through replace(), one-letter ones (and dropped letters) through a
    single translate(), which keeps the expression shallow. -#}
{% macro hrdw_transliterated(expression) -%}
    {%- set state = namespace(sql="lower(coalesce(" ~ expression ~ ", ''))", source_letters="", target_letters="", dropped="") -%}
    {%- for pair in hrdw_transliteration_pairs() -%}
        {%- if pair[1] | length > 1 -%}
            {%- set state.sql = "replace(" ~ state.sql ~ ", '" ~ pair[0] | replace("'", "''") ~ "', '" ~ pair[1] ~ "')" -%}
        {%- elif pair[1] | length == 1 -%}
            {%- set state.source_letters = state.source_letters ~ pair[0] -%}
            {%- set state.target_letters = state.target_letters ~ pair[1] -%}
        {%- else -%}
            {%- set state.dropped = state.dropped ~ pair[0] -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if state.source_letters or state.dropped -%}
        translate({{ state.sql }}, '{{ (state.source_letters ~ state.dropped) | replace("'", "''") }}', '{{ state.target_letters }}')
    {%- else -%}
        {{ state.sql }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__hrdw_clean_name(expression) -%}
    trim(regexp_replace(strip_accents({{ hrdw_transliterated(expression) }}), '[^a-z0-9]+', ' ', 'g'))
{%- endmacro %}
{% macro default__hrdw_clean_name(expression) -%}
    {{ exceptions.raise_compiler_error("hrdw_clean_name has no implementation for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro hrdw_name_key(expression) -%}
    {{ return(adapter.dispatch('hrdw_name_key', 'hrdw')(expression)) }}
{%- endmacro %}
{% macro duckdb__hrdw_name_key(expression) -%}
    {{ hrdw_sorted_tokens(hrdw_clean_name(expression)) }}
{%- endmacro %}

{#- The space-separated tokens of a cleaned name, sorted. -#}
{% macro hrdw_sorted_tokens(cleaned) -%}
    {{ return(adapter.dispatch('hrdw_sorted_tokens', 'hrdw')(cleaned)) }}
{%- endmacro %}
{#- Words that describe rather than name (var hrdw_name_stopwords: "news agency Kray" = "Kray")
    are dropped, unless nothing else is left. -#}
{% macro duckdb__hrdw_sorted_tokens(cleaned) -%}
    {%- set stopwords = "['" ~ var('hrdw_name_stopwords') | join("', '") ~ "']" -%}
    coalesce(
        nullif(array_to_string(list_sort(list_filter(
            string_split({{ cleaned }}, ' '), lambda token: token <> '' and not list_contains({{ stopwords }}, token)
        )), ' '), ''),
        nullif(array_to_string(list_sort(list_filter(string_split({{ cleaned }}, ' '), lambda token: token <> '')), ' '), '')
    )
{%- endmacro %}
{% macro default__hrdw_sorted_tokens(cleaned) -%}
    nullif(array_to_string(array(
        select token from unnest(string_to_array({{ cleaned }}, ' ')) as token where token <> '' order by token
    ), ' '), '')
{%- endmacro %}
{% macro default__hrdw_name_key(expression) -%}
    {{ exceptions.raise_compiler_error("hrdw_name_key has no implementation for adapter " ~ adapter.type()) }}
{%- endmacro %}

{#- The consonant skeleton of one cleaned token, in three steps (each shallow, so models can
    apply them in successive CTEs): the letters and digraphs that the common romanisation
    schemes write differently folded together, vowels and y dropped, doubled letters collapsed.
    A token with no consonant keeps itself. The folds: ij -> i (Dmitrij); j between a vowel and
    a consonant (or the end) is the scholarly (ISO 9) short i, as y (Sajfullo = Sayfullo,
    Ajtberdieva = Aitberdieva); dzh / dj / zh -> j; ch / tch / sh / shch -> s, because French
    writes ш as ch and ч as tch (Cherzod = Sherzod, Djamched = Dzhamshed); kh / x -> h (Uzbek
    Latin x is х: Raximov = Rakhimov); gh -> g; ng -> n (Kazakh and Kyrgyz ң: Kengbaev =
    Kenbaev); ts / tz -> c; ph -> f; ck -> k; ou -> u (French); q -> k; w -> v. -#}
{% macro hrdw_fold_digraphs(token) -%}
    {%- set state = namespace(folded="regexp_replace(replace(" ~ token ~ ", 'ij', 'i'), '([aeiouy])j([^aeiouy]|$)', '\\1y\\2', 'g')") -%}
    {%- for pattern, replacement in [
        ('shch', 's'), ('dzh', 'j'), ('dj', 'j'), ('zh', 'j'), ('tch', 's'), ('ch', 's'), ('sh', 's'),
        ('kh', 'h'), ('x', 'h'), ('gh', 'g'), ('ng', 'n'), ('ts', 'c'), ('tz', 'c'), ('ph', 'f'), ('ck', 'k'), ('ou', 'u')
    ] -%}
        {%- set state.folded = "replace(" ~ state.folded ~ ", '" ~ pattern ~ "', '" ~ replacement ~ "')" -%}
    {%- endfor -%}
    translate({{ state.folded }}, 'qw', 'kv')
{%- endmacro %}

{% macro hrdw_drop_vowels(folded) -%}
    regexp_replace({{ folded }}, '[aeiouy]', '', 'g')
{%- endmacro %}

{#- `consonants` must be a column or simple expression: it is used twice. -#}
{% macro hrdw_collapse_repeats(consonants) -%}
    {{ return(adapter.dispatch('hrdw_collapse_repeats', 'hrdw')(consonants)) }}
{%- endmacro %}
{% macro duckdb__hrdw_collapse_repeats(consonants) -%}
    {#- each letter paired with the one before it; keep the letters that differ from theirs -#}
    array_to_string(list_transform(list_filter(
        list_zip(string_split({{ consonants }}, ''), list_prepend('', string_split({{ consonants }}, ''))),
        lambda pair: pair[1] <> pair[2]
    ), lambda pair: pair[1]), '')
{%- endmacro %}
{% macro default__hrdw_collapse_repeats(consonants) -%}
    regexp_replace({{ consonants }}, '(.)\1+', '\1', 'g')
{%- endmacro %}

{#- Sorted token skeletons of a name key, as one expression (for ad-hoc use and tests; models
    use the three steps in separate CTEs, see int_victim_mentions). -#}
{% macro hrdw_name_skeleton_key(name_key) -%}
    {{ return(adapter.dispatch('hrdw_name_skeleton_key', 'hrdw')(name_key)) }}
{%- endmacro %}
{% macro duckdb__hrdw_name_skeleton_key(name_key) -%}
    {%- set tokens = "string_split(coalesce(" ~ name_key ~ ", ''), ' ')" -%}
    {%- set core = "list_filter(" ~ tokens ~ ", lambda word: not " ~ hrdw_regex_match('word', var('hrdw_patronymic_pattern')) ~ ")" -%}
    {#- as int_victim_mentions: patronymics left out of names of 3+ words, keeping at least two -#}
    nullif(array_to_string(list_sort(list_transform(
        list_transform(
            list_transform(
                case when len({{ tokens }}) >= 3 and len({{ core }}) >= 2 then {{ core }} else {{ tokens }} end,
                lambda token: {{ hrdw_fold_digraphs('token') }}
            ),
            lambda folded: {{ hrdw_drop_vowels('folded') }}
        ),
        lambda consonants: {{ hrdw_collapse_repeats('consonants') }}
    )), ' '), '')
{%- endmacro %}
{% macro default__hrdw_name_skeleton_key(name_key) -%}
    {{ exceptions.raise_compiler_error("hrdw_name_skeleton_key has no implementation for adapter " ~ adapter.type()) }}
{%- endmacro %}

{#- True when a victim's "name" is a placeholder, not a name: empty, "-", "?", "N/A",
    "Unidentified", "Unidentified journalist", "An unknown cameraman", "Unknown", "Anonymous",
    "Name withheld", "Ahmad [full name unavailable]", "н/д", "неизвестно", "неизвестный журналист",
    "имя не указано", "нет данных". A placeholder victim is unnamed (int_victim_mentions.is_anonymous):
    never matched to anyone by name, to another placeholder least of all. The one list of
    placeholders: every model that takes a victim's name from a source uses this macro. -#}
{% macro hrdw_is_placeholder_name(expression) -%}
    {%- set cleaned = "regexp_replace(lower(trim(regexp_replace(coalesce(" ~ expression ~ ", ''), '[[:space:]]+', ' ', 'g'))), '^[-?.,;:*_/ ]+|[-?.,;:*_/ ]+$', '', 'g')" -%}
    {%- set whole = [
        '',
        '(an? |the )?(unidentified|unknown|unnamed|anonymous|not identified)( [a-z-]+){0,3}',
        '(name )?(withheld|unknown|unavailable|not known|not given|not available|not disclosed)',
        'n/?a|n[.]a|none|null|nil|x+|no name|name',
        'н/?д|н[.]д|нет данных|нет|не указано|не известно|не установлено',
        '(неизвестн|неустановленн|аноним|безымянн)[а-яё]*( [а-яё]+){0,2}',
        '(имя|фио|ф[.]и[.]о)( не указано| не указан| неизвестно| не известно| скрыто| не установлено)?',
        'без имени|имя скрыто|фамилия не указана',
    ] -%}
    {%- set anywhere = [
        '[[(][^])]*(unavailable|withheld|unknown|not known|не указан|неизвестн)[^])]*[])]',
        'full name unavailable|name withheld',
    ] -%}
    coalesce({{ hrdw_regex_match(cleaned, '^(' ~ whole | join('|') ~ ')$|' ~ anywhere | join('|')) }}, true)
{%- endmacro %}

{#- Lookup key for vocabularies and country aliases: lower-case, any run of white space (a tab, a
    carriage return) one space, trimmed. -#}
{% macro hrdw_label_key(expression) -%}
    nullif(trim(regexp_replace(lower({{ expression }}), '\s+', ' ', 'g')), '')
{%- endmacro %}

{#- A category's name compared across spellings: "Non-state", "non_state", "Non-state actor",
    "NON STATE ACTORS" are all "non state". -#}
{% macro hrdw_category_key(expression) -%}
    nullif(trim(regexp_replace(
        regexp_replace(lower(trim({{ expression }})), '[\s_-]+', ' ', 'g'), ' actors?$', ''
    )), '')
{%- endmacro %}

{#- Dates as sources write them: ISO, dd.mm.yyyy, dd/mm/yyyy, dd.mm.yy (two-digit years: 00-68 are
    20xx, 69-99 are 19xx), Excel serials, CPJ's "April 30, 2018", "June 7 or 8, 2008", "May 13, 14,
    or 15, 2015", "On or after March 30, 2007", "August 2015", "Unknown in 2013", "Summer 1993",
    Russian month names ("март 2019", "17 марта 2019 г."). The date is the first day of the stated
    period and the precision says which period (day, month, year, unknown); hrdw_date_issue says
    when the text could not be read exactly. -#}
{% macro hrdw_date_text(expression) -%}
    {#- Month names of the region's languages become English ones before the forms below are read:
        Russian, Kyrgyz, Tajik and Uzbek Cyrillic share stems (январь, январ, январи), Kazakh has
        names of its own (қаңтар, наурыз...), Uzbek Latin writes yanvar, sentabr...; any case
        ending. A trailing "г." / "года" (year) is dropped. -#}
    {%- set cyrillic = "а-яёәіңғүұқөһӣӯҳҷ" -%}
    {%- set state = namespace(sql="coalesce(" ~ expression ~ ", '')") -%}
    {#- "~" stands for any case ending; May's Russian forms are listed whole (май, мая, мае) -#}
    {%- for stem, month in [
        ('январ~|қаңтар~', 'January'), ('феврал~|ақпан~', 'February'), ('март~|наурыз~', 'March'),
        ('апрел~|сәуір~', 'April'), ('ма[йяе]|мамыр~', 'May'), ('июн~|маусым~', 'June'), ('июл~|шілде~', 'July'),
        ('август~|тамыз~', 'August'), ('сентябр~|қыркүйек~', 'September'), ('октябр~|қазан~', 'October'),
        ('ноябр~|қараша~', 'November'), ('декабр~|желтоқсан~', 'December')
    ] -%}
        {%- set words = stem | replace('~', '[' ~ cyrillic ~ ']*') -%}
        {%- set pattern = "(^|[^" ~ cyrillic ~ "])(" ~ words ~ ")([^" ~ cyrillic ~ "]|$)" -%}
        {%- set state.sql = "regexp_replace(" ~ state.sql ~ ", '" ~ pattern ~ "', '\\1" ~ month ~ "\\3', 'i')" -%}
    {%- endfor -%}
    {%- for stem, month in [
        ('yanvar', 'January'), ('fevral', 'February'), ('mart', 'March'), ('aprel', 'April'), ('iyun', 'June'),
        ('iyul', 'July'), ('avgust', 'August'), ('sent[y]?abr', 'September'), ('okt[y]?abr', 'October'),
        ('noyabr', 'November'), ('dekabr', 'December')
    ] -%}
        {%- set state.sql = "regexp_replace(" ~ state.sql ~ ", '(^|[^a-z])" ~ stem ~ "[a-z]*([^a-z]|$)', '\\1" ~ month ~ "\\2', 'i')" -%}
    {%- endfor -%}
    {%- set state.sql = "regexp_replace(" ~ state.sql ~ ", '(^|[^" ~ cyrillic ~ "])(г|гг|год|года|году|ж|жыл|жылы|yil|сол)\\.?$', '\\1', 'i')" -%}
    {#- "Disappeared November 29, 2019; remains found January 7, 2020" (CPJ): the event is the
        disappearance, so its date is read at its own precision; a later clause after a semicolon
        (remains or body found, released) is left out -#}
    {%- set state.sql = "regexp_replace(" ~ state.sql ~ ", '^\\s*(disappeared|went missing|missing since|abducted|kidnapped)(\\s+(on|in|since))?\\s+', '', 'i')" -%}
    {%- set state.sql = "regexp_replace(" ~ state.sql ~ ", '^(.*?[0-9]{4})\\s*;.*$', '\\1')" -%}
    {#- a range keeps its first date, as an Uwazi range a~b does: "October 2015 - June 2016",
        "12.03.2019 - 15.03.2019", "Between September 2016 and July 12, 2019" (the dash spaced and a
        year on both sides, so CPJ's day lists "April 10-12, 1994" and ISO days are left alone) -#}
    {%- set state.sql = "regexp_replace(" ~ state.sql ~ ", '^between\\s+(.+?[0-9]{4})\\s+and\\s+.*$', '\\1', 'i')" -%}
    {#- "Between February 5 and 11, 2014": the first date takes the year the text ends with -#}
    {%- set state.sql = "regexp_replace(" ~ state.sql ~ ", '^between\\s+(.+?)\\s+and\\s+.*?([0-9]{4})\\s*$', '\\1, \\2', 'i')" -%}
    {%- set state.sql = "regexp_replace(" ~ state.sql ~ ", '^(\\S.*?[0-9]{4}[^0-9]*?)\\s+(-|–|—|to|until|till)\\s+\\S.*[0-9]{4}.*$', '\\1', 'i')" -%}
    trim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
        {{ state.sql }},
        '\s+', ' ', 'g'),
        '^(on or (after|before|about)|around|circa|c\.|в)\s+', '', 'i'),
        ',?\s+or\s+[0-9]{1,2}(,)', '\1', 'g'),
        {#- "May 13, 14, 15, or 18, 2015", "May 29, 30, 31, June 1, or 2, 2014" (the or-day already
            dropped): the first day -#}
        '^([a-z]+ [0-9]{1,2})(, ?([a-z]+ )?[0-9]{1,2})+,', '\1,', 'i'))
{%- endmacro %}

{#- strptime formats, most precise first: two-digit years are tried before four-digit ones (with
    %Y, "17.10.15" would be the year 15) -#}
{% macro hrdw_numeric_day_formats() -%}
    ['%Y-%m-%d', '%d.%m.%y', '%d/%m/%y', '%d.%m.%Y', '%d/%m/%Y']
{%- endmacro %}

{#- The DuckDB implementations below bind the (long) hrdw_date_text once per row with a
    one-element list_transform (DuckDB has no `let`): written out at each use, it made the
    compiled staging models several times longer. -#}
{% macro hrdw_parse_date(expression) -%}
    {{ return(adapter.dispatch('hrdw_parse_date', 'hrdw')(expression)) }}
{%- endmacro %}
{% macro duckdb__hrdw_parse_date(expression) -%}
    list_transform([{{ hrdw_date_text(expression) }}], lambda parse_text: coalesce(
        cast(try_strptime(left(parse_text, 10), {{ hrdw_numeric_day_formats() }}) as date),
        cast(try_strptime(parse_text, ['%B %d, %Y', '%b %d, %Y', '%d %B %Y', '%B %d %Y']) as date),
        case when regexp_matches(parse_text, '^[0-9]{5}$') then date '1899-12-30' + cast(parse_text as integer) end,
        cast(try_strptime(parse_text, ['%B %Y', '%B, %Y', '%b %Y', '%m.%Y', '%Y-%m']) as date),
        case when regexp_matches(parse_text, '(^|[^0-9])(1[89][0-9]{2}|20[0-9]{2})([^0-9]|$)')
            then make_date(cast(regexp_extract(parse_text, '(1[89][0-9]{2}|20[0-9]{2})', 1) as integer), 1, 1) end
    ))[1]
{%- endmacro %}

{% macro hrdw_date_precision(expression) -%}
    {{ return(adapter.dispatch('hrdw_date_precision', 'hrdw')(expression)) }}
{%- endmacro %}
{% macro duckdb__hrdw_date_precision(expression) -%}
    list_transform([{{ hrdw_date_text(expression) }}], lambda precision_text: case
        when try_strptime(left(precision_text, 10), {{ hrdw_numeric_day_formats() }}) is not null then 'day'
        when try_strptime(precision_text, ['%B %d, %Y', '%b %d, %Y', '%d %B %Y', '%B %d %Y']) is not null then 'day'
        when regexp_matches(precision_text, '^[0-9]{5}$') then 'day'
        when try_strptime(precision_text, ['%B %Y', '%B, %Y', '%b %Y', '%m.%Y', '%Y-%m']) is not null then 'month'
        when regexp_matches(precision_text, '(^|[^0-9])(1[89][0-9]{2}|20[0-9]{2})([^0-9]|$)') then 'year'
        else 'unknown'
    end)[1]
{%- endmacro %}

{#- Why a date text was not read exactly at the precision it states, or null when it was (a day
    or a month read as such; a year, or a coarse period of a year: "2015", "Unknown in 2013",
    "Summer 1993", "June or July 1993", "2015 г."). One of a short, stable set:
    - 'empty': no date text;
    - 'marked unknown': the source says it has no date ("н/д", "N/A", "Unknown", "нет данных");
    - 'not a valid date (read as the year)': a numeric day or month that does not exist
      ("31.02.2021", "13.2015"): event_date keeps only its year;
    - 'not a valid date': the same without a four-digit year ("31.02.21"): no date;
    - 'unreadable (read as the year)': other text with a year in it that says more than a period
      of that year ("April 10-12, 1994", "Between ... and ...", "mid-April 2005", a month name not
      understood): event_date keeps only the year;
    - 'unreadable': text with no date in it ("Late January, early February"). -#}
{% macro hrdw_date_issue(expression) -%}
    {{ return(adapter.dispatch('hrdw_date_issue', 'hrdw')(expression)) }}
{%- endmacro %}
{% macro duckdb__hrdw_date_issue(expression) -%}
    {%- set words = "string_split(regexp_replace(lower(issue_text), '[^a-zа-яё0-9]+', ' ', 'g'), ' ')" -%}
    {%- set months = "['" ~ [
        'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october',
        'november', 'december', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec'
    ] | join("', '") ~ "']" -%}
    {#- words that only name a period of a year -#}
    {%- set period_words = "['" ~ [
        'unknown', 'date', 'in', 'of', 'or', 'and', 'to', 'early', 'mid', 'late', 'end', 'beginning', 'start',
        'spring', 'summer', 'autumn', 'fall', 'winter',
        'в', 'и', 'или', 'весна', 'весной', 'лето', 'летом', 'осень', 'осенью', 'зима', 'зимой',
        'начало', 'начале', 'середина', 'середине', 'конец', 'конце'
    ] | join("', '") ~ "']" -%}
    list_transform([{{ hrdw_date_precision(expression) }}], lambda issue_precision: list_transform(
        [{{ hrdw_date_text(expression) }}], lambda issue_text: case
            when issue_precision in ('day', 'month') then null
            when nullif(trim({{ expression }}), '') is null then 'empty'
            when regexp_matches(
                lower(trim({{ expression }})),
                '^(n\.?/?a\.?|н\.?/?д\.?|нет данных|неизвестно|(date )?unknown|not known|-+|\?+)$'
            ) then 'marked unknown'
            {#- a year, or a period of it: nothing but years, month names (never exactly one: that
                month was not read) and the words above -#}
            when
                issue_precision = 'year'
                and len(list_filter({{ words }}, lambda word: list_contains({{ months }}, word))) <> 1
                and len(list_filter(
                    {{ words }},
                    lambda word: word <> ''
                        and not list_contains({{ months }}, word)
                        and not list_contains({{ period_words }}, word)
                        and not regexp_matches(word, '^(1[89]|20)[0-9]{2}$')
                )) = 0
                then null
            when regexp_matches(
                issue_text,
                '^([0-9]{1,2}[./-][0-9]{1,2}[./-][0-9]{2,4}|[0-9]{4}[./-][0-9]{1,2}([./-][0-9]{1,2})?|[0-9]{1,2}[./][0-9]{4})([^0-9]|$)'
            ) then
                case when issue_precision = 'year' then 'not a valid date (read as the year)' else 'not a valid date' end
            when issue_precision = 'year' then 'unreadable (read as the year)'
            else 'unreadable'
        end
    )[1])[1]
{%- endmacro %}

{#- A place key for matching, in two steps so the (long) cleaning runs once per row:
    hrdw_place_name_key cleans the name and drops generic words ("Bishkek city", "g. Osh"); an
    empty name is no place (null), never a place that differs. hrdw_canonical_place then gives the
    `place_aliases` gazetteer's canonical name for a variant it knows in that country (Khodjent,
    Leninabad and Худжанд are all "khujand"), else the key itself. -#}
{% macro hrdw_place_name_key(city) -%}
    nullif(trim(regexp_replace({{ hrdw_clean_name(city) }}, '^(g|gorod|city of) | (city|gorod|shahri|shakhri|qalasy)$', '')), '')
{%- endmacro %}

{#- True when a place is a placeholder, not a place: empty, "-", "N/A", "Unknown", "an unknown
    place", "undisclosed location", "н/д", "Неизвестно", "не указано". A description of a place ("an
    area southwest of Kirkuk") is a place, kept as the source wrote it; "place of death unknown"
    is none. -#}
{% macro hrdw_is_placeholder_place(expression) -%}
    {%- set cleaned = "regexp_replace(lower(trim(regexp_replace(coalesce(" ~ expression ~ ", ''), '[[:space:]]+', ' ', 'g'))), '^[-?.,;:*_/ ]+|[-?.,;:*_/ ]+$', '', 'g')" -%}
    {%- set whole = [
        '',
        '(an? |the |in an? )?(unknown|unspecified|undisclosed|unidentified|unnamed|not known|not specified)( place| location| city| town| village| area| locality)?',
        '((place|location|city)( of [a-z]+)?( is)? )?(unknown|not known|not given|withheld|undisclosed)',
        'n/?a|n[.]a|none|null|nil|x+',
        'н/?д|н[.]д|нет данных|не указано|не указан|не известно|не установлено|неизвестно',
        '(неизвестн|неустановленн)[а-яё]*( [а-яё]+)?',
    ] -%}
    coalesce({{ hrdw_regex_match(cleaned, '^(' ~ whole | join('|') ~ ')$') }}, true)
{%- endmacro %}

{#- `place_key` must be a column or simple expression (the result of hrdw_place_name_key): it is
    used twice. -#}
{% macro hrdw_canonical_place(place_key, country_code) -%}
    coalesce(
        (
            {#- the inner names are unlike any caller's, so the caller's columns are never shadowed -#}
            select min(gazetteer.gazetteer_canonical_key)
            from (
                select
                    country_code as gazetteer_country_code,
                    {{ hrdw_clean_name('place_name') }} as gazetteer_place_key,
                    {{ hrdw_clean_name('canonical_place') }} as gazetteer_canonical_key
                from {{ ref('place_aliases') }}
            ) as gazetteer
            where
                gazetteer.gazetteer_country_code = {{ country_code }}
                and gazetteer.gazetteer_place_key = {{ place_key }}
        ),
        {{ place_key }}
    )
{%- endmacro %}

{#- How many decimal places a coordinate was written with ("42.87" has 2, "42" none): the
    precision the source claims, which the parsed double no longer carries. -#}
{% macro hrdw_decimal_places(coordinate_text) -%}
    length(split_part(trim({{ coordinate_text }}), '.', 2))
{%- endmacro %}

{#- True when the source qualifies its day: "On or after March 30, 2007", "June 7 or 8, 2008",
    "around 12 May 2020", a range "2021-01-24~2021-01-27". The event is on that day or near it,
    not certainly on it, so a different day from another source is no proof of another attack. -#}
{% macro hrdw_date_is_qualified(expression) -%}
    coalesce({{ hrdw_regex_match('lower(trim(' ~ expression ~ '))', '^(on or |around |circa |c\. |between )| or [0-9]|~|[0-9]{4}[^0-9]*\s(-|–|—|to|until|till)\s') }}, false)
{%- endmacro %}

{#- The last day a day-precise date may stand for when the source is unsure of the day: the second
    day of "June 7 or 8, 2008", var hrdw_on_or_after_days after "On or after March 30, 2007";
    otherwise the date itself. A range "2021-01-24~2021-01-27" (Uwazi) keeps its first day: it
    says how long the event lasted, and other sources date such an event by its start (spanning
    it made two attacks days apart meet as "the same day"). `event_date` is the parsed first day
    (hrdw_parse_date). -#}
{% macro hrdw_date_latest(raw, event_date) -%}
    case
        when {{ event_date }} is null then null
        when {{ hrdw_regex_match('lower(' ~ raw ~ ')', ' or [0-9]{1,2}([^0-9]|$)') }}
            then {{ hrdw_next_day_numbered(event_date, 'cast(' ~ hrdw_regex_extract('lower(' ~ raw ~ ')', ' or ([0-9]{1,2})') ~ ' as integer)') }}
        when {{ hrdw_regex_match('lower(trim(' ~ raw ~ '))', '^on or after ') }}
            then {{ event_date }} + {{ var('hrdw_on_or_after_days') }}
        else {{ event_date }}
    end
{%- endmacro %}

{#- The first day on or after `first_day` whose day of the month is `day_number`: 8 after 7 June is
    8 June, 2 after 29 May ("May 29, 30, 31, June 1, or 2") is 2 June. -#}
{% macro hrdw_next_day_numbered(first_day, day_number) -%}
    case
        when {{ day_number }} >= extract(day from {{ first_day }})
            then {{ first_day }} + ({{ day_number }} - cast(extract(day from {{ first_day }}) as integer))
        else {{ hrdw_last_day_of_month(first_day) }} + {{ day_number }}
    end
{%- endmacro %}

{% macro hrdw_last_day_of_month(day) -%}
    {{ return(adapter.dispatch('hrdw_last_day_of_month', 'hrdw')(day)) }}
{%- endmacro %}
{% macro duckdb__hrdw_last_day_of_month(day) -%}
    last_day({{ day }})
{%- endmacro %}
{% macro default__hrdw_last_day_of_month(day) -%}
    cast(date_trunc('month', {{ day }}) + interval '1 month' - interval '1 day' as date)
{%- endmacro %}
