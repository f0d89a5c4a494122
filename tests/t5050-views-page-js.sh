#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='the HTML page sources: page.js parses, and the page carries page.js, page.css and page.html byte for byte'
. "$(dirname "$0")/test-lib.sh"

# The page's script is code no C compiler sees: node --check parses it
# without running it.  Without node those tests skip ("missing NODE"); the
# byte-for-byte ones need only sh and awk, as the build does.
top=$(dirname "$TEST_DIRECTORY")
views=$top/src/views
test_lazy_prereq NODE 'node --check </dev/null'

# body FILE: FILE without its leading comments, which stay out of the page
body() {
	awk 'hdr == 0 && /^(\/\*|<!--)/ { end = substr($0, 1, 2) == "/*" ? "\\*/" : "-->" }
	     end != "" { if ($0 ~ end) end = ""; next }
	     { hdr = 1; print }' "$1"
}

# element FILE TAG: the lines between FILE's lines "<TAG>" and "</TAG>"
element() {
	awk -v o="<$2>" -v c="</$2>" '$0 == c { on = 0 } on; $0 == o { on = 1 }' "$1"
}

test_expect_success NODE 'page.js parses' '
	node --check "$views/page.js"
'

test_expect_success NODE 'the check can fail: a broken script is seen' '
	{ cat "$views/page.js" && echo "function ("; } >broken.js &&
	test_must_fail node --check broken.js 2>err &&
	grep SyntaxError err
'

test_expect_success 'the page of the seed fixture is written' '
	"$FTIO" report --no-pager -i "$FIXTURES/seed.dat" --html page.html >/dev/null 2>&1 &&
	test -s page.html
'

test_expect_success NODE 'the script the page carries parses' '
	element page.html script >script.js &&
	test -s script.js &&
	node --check script.js
'

test_expect_success 'the page carries page.js and page.css byte for byte' '
	body "$views/page.js" >expect.js &&
	element page.html script >actual.js &&
	test_cmp expect.js actual.js &&
	body "$views/page.css" >expect.css &&
	element page.html style >actual.css &&
	test_cmp expect.css actual.css
'

test_expect_success 'the page is page.html with its includes and holes filled' '
	body "$views/page.html" | while IFS= read -r l; do
		case $l in
		"@include "*@) f=${l#@include }; body "$views/${f%@}" ;;
		*) printf "%s\n" "$l" ;;
		esac
	done | sed -e "s|@TITLE@|$FIXTURES/seed.dat|" -e "s|^@DATA@|DATA|" >expect.html &&
	sed "s|^{\"capture\":.*</script>\$|DATA</script>|" page.html >actual.html &&
	test_cmp expect.html actual.html
'

test_expect_success 'embed-page.sh refuses a script that would end its element early' '
	mkdir bad && cp "$views/page.html" "$views/page.css" bad &&
	{ cat "$views/page.js" && echo "const s = \"</script>\";"; } >bad/page.js &&
	test_must_fail sh "$views/embed-page.sh" bad/page.html >out.h 2>err &&
	grep "page.js:[0-9]*: \"</script\" or \"</style\" would end the element early" err
'

test_expect_success 'embed-page.sh refuses a template without its holes' '
	mkdir nohole && cp "$views/page.css" "$views/page.js" nohole &&
	sed "s/@DATA@//" "$views/page.html" >nohole/page.html &&
	test_must_fail sh "$views/embed-page.sh" nohole/page.html >out.h 2>err &&
	grep "@DATA@ is missing" err
'

test_done
