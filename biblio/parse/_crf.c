/*
 * Viterbi decoding for the reference tagger's linear-chain CRF (see biblio/parse/crf.py).
 *
 * Why C: python-crfsuite turns some forty attribute strings per token into model ids on every
 * call, which costs more than everything else in parsing a reference. Here each distinct token
 * is scored once (its weights summed into one block per position it can take: itself and the
 * four neighbours' views), and a reference costs only the sums of cached blocks and the Viterbi
 * pass. The arithmetic is crfsuite's own: a state score is the sum of the weights of the token's
 * attributes, a path's score adds the label-to-label transition weights, no start or end weights,
 * and ties keep the first label, as crfsuite's viterbi does.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

/* Context rows, in the order crf.py lays them out: pos=0..6, rel=0..9, is-last, after-year,
   after-quote, in-quote, periods=0..4. */
#define ROW_POS 0
#define ROW_REL 7
#define ROW_LAST 17
#define ROW_AFTER_YEAR 18
#define ROW_AFTER_QUOTE 19
#define ROW_IN_QUOTE 20
#define ROW_PERIODS 21
#define CONTEXT_ROWS 26

/* Token flags (crf.py sets them from the token's own features). */
#define FLAG_YEAR 1
#define FLAG_OPEN_QUOTE 2
#define FLAG_CLOSE_QUOTE 4
#define FLAG_PERIOD 8

/* A token's five score vectors (itself, then as the token two before, one before, one after, two
 * after): the sum of the blocks that ``table`` holds for its features (feature -> bytes of
 * 5 * n_labels doubles, made once per model by crf.py); features the model does not know add nothing. */
static PyObject *sum_blocks(PyObject *table, PyObject **items, Py_ssize_t n, Py_ssize_t n_labels)
{
    Py_ssize_t width = 5 * n_labels;
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)sizeof(double) * width);
    if (out == NULL)
        return NULL;
    double *sums = (double *)PyBytes_AS_STRING(out);
    memset(sums, 0, sizeof(double) * (size_t)width);
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *rows = PyDict_GetItemWithError(table, items[k]);
        if (rows == NULL) {
            if (PyErr_Occurred())
                goto fail;
            continue;
        }
        if (!PyBytes_Check(rows) || PyBytes_GET_SIZE(rows) != (Py_ssize_t)sizeof(double) * width) {
            PyErr_SetString(PyExc_ValueError, "a feature's block must be bytes of 5 * n_labels doubles");
            goto fail;
        }
        const double *src = (const double *)PyBytes_AS_STRING(rows);
        for (Py_ssize_t y = 0; y < width; y++)
            sums[y] += src[y];
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* decode(transitions, context, edges, tokens) -> list[int]
 * tokens: a list of (block, flags) pairs, one per token, as score() makes them.
 * transitions: n_labels * n_labels doubles, [previous][next]; context: CONTEXT_ROWS rows;
 * edges: four rows, the weights of "-2:edge", "-1:edge", "1:edge", "2:edge". */
static PyObject *decode(PyObject *self, PyObject *args)
{
    Py_buffer trans, context, edges;
    PyObject *tokens;
    if (!PyArg_ParseTuple(args, "y*y*y*O!", &trans, &context, &edges, &PyList_Type, &tokens))
        return NULL;
    PyObject *result = NULL;
    double *scores = NULL;
    int *back = NULL;
    Py_ssize_t L = edges.len / (Py_ssize_t)sizeof(double) / 4;
    Py_ssize_t n = PyList_GET_SIZE(tokens);
    if (L <= 0 || trans.len != (Py_ssize_t)sizeof(double) * L * L
        || context.len != (Py_ssize_t)sizeof(double) * CONTEXT_ROWS * L) {
        PyErr_SetString(PyExc_ValueError, "model tables do not agree on the number of labels");
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *pair = PyList_GET_ITEM(tokens, i);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2 || !PyBytes_Check(PyTuple_GET_ITEM(pair, 0))
            || PyBytes_GET_SIZE(PyTuple_GET_ITEM(pair, 0)) != (Py_ssize_t)sizeof(double) * 5 * L
            || !PyLong_Check(PyTuple_GET_ITEM(pair, 1))) {
            PyErr_SetString(PyExc_TypeError, "each token must be a (block, flags) pair");
            goto done;
        }
    }
    result = PyList_New(n);
    if (result == NULL || n == 0)
        goto done;
    scores = PyMem_Malloc(sizeof(double) * (size_t)(2 * L + L));
    back = PyMem_Malloc(sizeof(int) * (size_t)(n * L));
    if (scores == NULL || back == NULL) {
        PyErr_NoMemory();
        Py_CLEAR(result);
        goto done;
    }
    const double *T = (const double *)trans.buf, *C = (const double *)context.buf, *E = (const double *)edges.buf;
    double *prev = scores, *cur = scores + L, *emit = scores + 2 * L;
    int seen_year = 0, seen_quote = 0, in_quote = 0, periods = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        const double *own = (const double *)PyBytes_AS_STRING(PyTuple_GET_ITEM(PyList_GET_ITEM(tokens, i), 0));
        long flags = PyLong_AsLong(PyTuple_GET_ITEM(PyList_GET_ITEM(tokens, i), 1));
        const double *m2 = i >= 2 ? (const double *)PyBytes_AS_STRING(PyTuple_GET_ITEM(PyList_GET_ITEM(tokens, i - 2), 0)) + 1 * L : E + 0 * L;
        const double *m1 = i >= 1 ? (const double *)PyBytes_AS_STRING(PyTuple_GET_ITEM(PyList_GET_ITEM(tokens, i - 1), 0)) + 2 * L : E + 1 * L;
        const double *p1 = i + 1 < n ? (const double *)PyBytes_AS_STRING(PyTuple_GET_ITEM(PyList_GET_ITEM(tokens, i + 1), 0)) + 3 * L : E + 2 * L;
        const double *p2 = i + 2 < n ? (const double *)PyBytes_AS_STRING(PyTuple_GET_ITEM(PyList_GET_ITEM(tokens, i + 2), 0)) + 4 * L : E + 3 * L;
        const double *pos = C + (ROW_POS + (i < 6 ? i : 6)) * L;
        const double *rel = C + (ROW_REL + (10 * i) / n) * L;
        const double *per = C + (ROW_PERIODS + (periods < 4 ? periods : 4)) * L;
        const double *rows[12] = {own, pos, rel, per, m2, m1, p1, p2};
        int n_rows = 8;
        if (i == n - 1)
            rows[n_rows++] = C + ROW_LAST * L;
        if (seen_year)
            rows[n_rows++] = C + ROW_AFTER_YEAR * L;
        if (seen_quote)
            rows[n_rows++] = C + ROW_AFTER_QUOTE * L;
        if (in_quote)
            rows[n_rows++] = C + ROW_IN_QUOTE * L;
        for (Py_ssize_t y = 0; y < L; y++)
            emit[y] = rows[0][y];
        for (int r = 1; r < n_rows; r++)
            for (Py_ssize_t y = 0; y < L; y++)
                emit[y] += rows[r][y];
        if (flags & FLAG_YEAR)
            seen_year = 1;
        if (flags & FLAG_OPEN_QUOTE)
            in_quote = seen_quote = 1;
        if (flags & FLAG_CLOSE_QUOTE)
            in_quote = 0;
        if (flags & FLAG_PERIOD)
            periods++;
        if (i == 0) {
            for (Py_ssize_t y = 0; y < L; y++)
                cur[y] = emit[y];
        } else {
            /* previous label outermost: the inner loop runs along a row of transitions, which the
               compiler turns into vector compares; ties keep the first (lowest) label, as crfsuite */
            int *arg = back + i * L;
            const double px0 = prev[0];
            for (Py_ssize_t y = 0; y < L; y++) {
                cur[y] = px0 + T[y];
                arg[y] = 0;
            }
            for (Py_ssize_t x = 1; x < L; x++) {
                const double px = prev[x];
                const double *row = T + x * L;
                for (Py_ssize_t y = 0; y < L; y++) {
                    double s = px + row[y];
                    if (s > cur[y]) {
                        cur[y] = s;
                        arg[y] = (int)x;
                    }
                }
            }
            for (Py_ssize_t y = 0; y < L; y++)
                cur[y] += emit[y];
        }
        double *swap = prev;
        prev = cur;
        cur = swap;
    }
    int label = 0;
    for (Py_ssize_t y = 1; y < L; y++)
        if (prev[label] < prev[y])
            label = (int)y;
    for (Py_ssize_t i = n - 1; i >= 0; i--) {
        PyObject *value = PyLong_FromLong(label);
        if (value == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, i, value);
        if (i > 0)
            label = back[i * L + label];
    }
done:
    PyMem_Free(scores);
    PyMem_Free(back);
    PyBuffer_Release(&trans);
    PyBuffer_Release(&context);
    PyBuffer_Release(&edges);
    return result;
}


/* ---- Token features: a twin of biblio.parse.features.token_features ----
 * The Python function is the definition (it trains the model and tags without the extension);
 * this one computes the same tuple, in the same order, several times faster, because a cold
 * reference spends most of its time describing tokens it has not seen before.
 * tests/test_crf.py compares the two on every token of the training data and on random Unicode. */

static PyObject *lexicon, *connectors, *editor_words, *markers; /* set by configure() */

/* Feature names and needles, made once (configure) rather than for every token. */
enum {K_YEAR, K_RANGE, K_OPEN_PAREN, K_CLOSE_PAREN, K_OPEN_QUOTE, K_CLOSE_QUOTE, K_INITIAL, K_CAP, K_CAPS, K_LOWER,
      K_CONNECTOR, K_EDITOR_WORD, K_URL, K_DOI, K_COLON, K_HYPHEN_WORD, K_PUNCT_ONLY, K_POSSESSIVE, K_LAST, K_FIRST,
      K_MARK, K_W, K_S, K_HTTP, K_WWW, K_TEN, K_SLASH, K_DASH, K_STRIP, K_STRIP_NAME, K_NUM0, K_COUNT = K_NUM0 + 6};
static const char *const constant_text[K_NUM0] = {
    "year", "range", "open-paren", "close-paren", "open-quote", "close-quote", "initial", "cap", "caps", "lower",
    "connector", "editor-word", "url", "doi", "colon", "hyphen-word", "punct-only", "possessive", "last=", "first=",
    "mark=", "w=", "s=", "http", "www.", "10.", "/", "-", "(),.;:", "strip"};
static PyObject *constants[K_COUNT];

static int make_constants(void)
{
    for (int k = 0; k < K_COUNT; k++) {
        if (constants[k] != NULL)
            continue;
        char num[8];
        const char *text = constant_text[k < K_NUM0 ? k : 0];
        if (k >= K_NUM0) {
            snprintf(num, sizeof num, "num%d", k - K_NUM0);
            text = num;
        }
        constants[k] = PyUnicode_InternFromString(text);
        if (constants[k] == NULL)
            return -1;
    }
    return 0;
}

static PyObject *configure(PyObject *self, PyObject *args)
{
    PyObject *lex, *conn, *editors, *marks;
    if (!PyArg_ParseTuple(args, "O!O!O!O!", &PyDict_Type, &lex, &PyFrozenSet_Type, &conn, &PyFrozenSet_Type,
                          &editors, &PyFrozenSet_Type, &marks))
        return NULL;
    Py_INCREF(lex);
    Py_INCREF(conn);
    Py_INCREF(editors);
    Py_INCREF(marks);
    Py_XSETREF(lexicon, lex);
    Py_XSETREF(connectors, conn);
    Py_XSETREF(editor_words, editors);
    Py_XSETREF(markers, marks);
    if (make_constants() < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* str.isupper / str.islower of a whole string: no character of the other case (or title case)
   and at least one cased character of this case. */
static int all_cased(int kind, const void *data, Py_ssize_t n, int upper)
{
    int cased = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if ((upper ? Py_UNICODE_ISLOWER(ch) : Py_UNICODE_ISUPPER(ch)) || Py_UNICODE_ISTITLE(ch))
            return 0;
        if (!cased && (upper ? Py_UNICODE_ISUPPER(ch) : Py_UNICODE_ISLOWER(ch)))
            cased = 1;
    }
    return cased;
}

static int is_decimal_at(int kind, const void *data, Py_ssize_t n, Py_ssize_t i)
{
    return i >= 0 && i < n && Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, i));
}

/* _YEAR.search: (?<!\d)(1[5-9]\d\d|20\d\d)[a-z]?(?!\d) -- the optional letter never matters. */
static int has_year(int kind, const void *data, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i + 4 <= n; i++) {
        Py_UCS4 a = PyUnicode_READ(kind, data, i), b = PyUnicode_READ(kind, data, i + 1);
        if (!((a == '1' && b >= '5' && b <= '9') || (a == '2' && b == '0')))
            continue;
        if (is_decimal_at(kind, data, n, i - 1) || !is_decimal_at(kind, data, n, i + 2)
            || !is_decimal_at(kind, data, n, i + 3) || is_decimal_at(kind, data, n, i + 4))
            continue;
        return 1;
    }
    return 0;
}

static int is_dash(Py_UCS4 ch) { return ch == '-' || ch == 0x2013 || ch == 0x2014; }

/* _RANGE.search: \d+\s*[-–—]+\s*\d+ */
static int has_range(int kind, const void *data, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, i)))
            continue;
        Py_ssize_t j = i + 1;
        while (j < n && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, j)))
            j++;
        Py_ssize_t dashes = j;
        while (j < n && is_dash(PyUnicode_READ(kind, data, j)))
            j++;
        if (j == dashes)
            continue;
        while (j < n && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, j)))
            j++;
        if (j < n && Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, j)))
            return 1;
    }
    return 0;
}

static int ascii_upper(Py_UCS4 ch) { return ch >= 'A' && ch <= 'Z'; }

/* _INITIAL.fullmatch: (?:[A-Z]\.-?){1,3},?   or   _SHORT_CAPS.fullmatch: [A-Z]{1,2}[.,]? */
static int is_initial(int kind, const void *data, Py_ssize_t n)
{
    Py_ssize_t i = 0;
    int groups = 0;
    while (groups < 3 && i + 1 < n && ascii_upper(PyUnicode_READ(kind, data, i)) && PyUnicode_READ(kind, data, i + 1) == '.') {
        i += 2;
        if (i < n && PyUnicode_READ(kind, data, i) == '-')
            i++;
        groups++;
    }
    if (groups > 0) {
        Py_ssize_t end = i;
        if (end < n && PyUnicode_READ(kind, data, end) == ',')
            end++;
        if (end == n)
            return 1;
    }
    i = 0;
    while (i < 2 && i < n && ascii_upper(PyUnicode_READ(kind, data, i)))
        i++;
    if (i == 0)
        return 0;
    if (i < n) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch == '.' || ch == ',')
            i++;
    }
    return i == n;
}

static int append_new(PyObject *list, PyObject *item)
{
    if (item == NULL)
        return -1;
    int rc = PyList_Append(list, item);
    Py_DECREF(item);
    return rc;
}

static int append_const(PyObject *list, int k) { return PyList_Append(list, constants[k]); }

/* The shape: token[:12] with upper -> X, lower -> x, digit -> d, other characters kept; runs collapse. */
static PyObject *shape(int kind, const void *data, Py_ssize_t n)
{
    Py_UCS4 out[14];
    Py_ssize_t m = 0;
    out[m++] = 's';
    out[m++] = '=';
    for (Py_ssize_t i = 0; i < n && i < 12; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        Py_UCS4 c = Py_UNICODE_ISUPPER(ch) ? 'X' : Py_UNICODE_ISLOWER(ch) ? 'x' : Py_UNICODE_ISDIGIT(ch) ? 'd' : ch;
        if (m > 2 && out[m - 1] == c)
            continue;
        out[m++] = c;
    }
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, m);
}

static int contains(PyObject *haystack, int k) { return PyUnicode_Contains(haystack, constants[k]); }

static PyObject *prefixed(int k, PyObject *text) { return PyUnicode_Concat(constants[k], text); }

/* str.lower(), done here for ASCII strings (nearly all tokens), by the method otherwise. */
static PyObject *lowered(PyObject *text)
{
    if (!PyUnicode_IS_ASCII(text))
        return PyObject_CallMethod(text, "lower", NULL);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    const Py_UCS1 *src = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t i = 0;
    while (i < n && !(src[i] >= 'A' && src[i] <= 'Z'))
        i++;
    if (i == n)
        return Py_NewRef(text);
    PyObject *out = PyUnicode_New(n, 127);
    if (out == NULL)
        return NULL;
    Py_UCS1 *dst = PyUnicode_1BYTE_DATA(out);
    for (i = 0; i < n; i++)
        dst[i] = (src[i] >= 'A' && src[i] <= 'Z') ? (Py_UCS1)(src[i] + 32) : src[i];
    return out;
}

/* The features of a token as a new list; *flags gets what the context of later tokens reads. */
static PyObject *describe(PyObject *token, long *flags)
{
    *flags = 0;
    if (!PyUnicode_Check(token) || PyUnicode_READY(token) < 0 || PyUnicode_GET_LENGTH(token) == 0) {
        PyErr_SetString(PyExc_ValueError, "a token is a non-empty string");
        return NULL;
    }
    if (lexicon == NULL || constants[K_COUNT - 1] == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "configure() first");
        return NULL;
    }
    int kind = PyUnicode_KIND(token);
    const void *data = PyUnicode_DATA(token);
    Py_ssize_t n = PyUnicode_GET_LENGTH(token);
    PyObject *feats = PyList_New(0), *core = NULL, *low = NULL, *lower = NULL, *stripped = NULL, *result = NULL;
    Py_UCS4 *core_buf = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)n);
    if (feats == NULL || core_buf == NULL)
        goto done;
    Py_ssize_t core_n = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (Py_UNICODE_ISALNUM(ch))
            core_buf[core_n++] = ch;
    }
    core = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, core_buf, core_n);
    if (core == NULL)
        goto done;
    low = lowered(core);
    lower = lowered(token);
    if (low == NULL || lower == NULL)
        goto done;
    Py_UCS4 first = PyUnicode_READ(kind, data, 0), last = PyUnicode_READ(kind, data, n - 1);
    if (append_new(feats, shape(kind, data, n)) < 0)
        goto done;
    PyObject *ch = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, &last, 1);
    if (ch == NULL || append_new(feats, prefixed(K_LAST, ch)) < 0) {
        Py_XDECREF(ch);
        goto done;
    }
    Py_DECREF(ch);
    ch = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, &first, 1);
    if (ch == NULL || append_new(feats, prefixed(K_FIRST, ch)) < 0) {
        Py_XDECREF(ch);
        goto done;
    }
    Py_DECREF(ch);
    int alpha = core_n > 0, digit = core_n > 0;
    for (Py_ssize_t i = 0; i < core_n; i++) {
        if (!Py_UNICODE_ISALPHA(core_buf[i]))
            alpha = 0;
        if (!Py_UNICODE_ISDIGIT(core_buf[i]))
            digit = 0;
    }
    int digits = !alpha;
    if (digits && digit && append_const(feats, K_NUM0 + (int)(core_n < 5 ? core_n : 5)) < 0)
        goto done;
    if (digits && has_year(kind, data, n)) {
        *flags |= FLAG_YEAR;
        if (append_const(feats, K_YEAR) < 0)
            goto done;
    }
    if (digits && has_range(kind, data, n) && append_const(feats, K_RANGE) < 0)
        goto done;
    if ((first == '(' || first == '[') && append_const(feats, K_OPEN_PAREN) < 0)
        goto done;
    {
        static const char *closers[] = {")", "),", ").", "):", ")]", "];", "]."};
        int closes = 0;
        for (int k = 0; k < 7 && !closes; k++) {
            Py_ssize_t len = (Py_ssize_t)strlen(closers[k]);
            if (len > n)
                continue;
            closes = 1;
            for (Py_ssize_t j = 0; j < len; j++)
                if (PyUnicode_READ(kind, data, n - len + j) != (Py_UCS4)closers[k][j])
                    closes = 0;
        }
        if (closes && append_const(feats, K_CLOSE_PAREN) < 0)
            goto done;
    }
    if (first == 0x201C || first == '"' || first == 0x2018 || first == '\'' || first == 0xAB) {
        *flags |= FLAG_OPEN_QUOTE;
        if (append_const(feats, K_OPEN_QUOTE) < 0)
            goto done;
    }
    Py_ssize_t bare_n = n; /* token.rstrip(".,;:") */
    while (bare_n > 0) {
        Py_UCS4 c = PyUnicode_READ(kind, data, bare_n - 1);
        if (c != '.' && c != ',' && c != ';' && c != ':')
            break;
        bare_n--;
    }
    Py_UCS4 end = bare_n > 0 ? PyUnicode_READ(kind, data, bare_n - 1) : 0;
    /* bare_n == 0: "" in "”\"’'»" is True in Python */
    if (bare_n == 0 || end == 0x201D || end == '"' || end == 0x2019 || end == '\'' || end == 0xBB) {
        *flags |= FLAG_CLOSE_QUOTE;
        if (append_const(feats, K_CLOSE_QUOTE) < 0)
            goto done;
    }
    int initial = n <= 9 && Py_UNICODE_ISUPPER(first) && is_initial(kind, data, n);
    if (initial && append_const(feats, K_INITIAL) < 0)
        goto done;
    if (last == '.' && !initial)
        *flags |= FLAG_PERIOD;
    if (core_n > 0 && Py_UNICODE_ISUPPER(core_buf[0]) && append_const(feats, K_CAP) < 0)
        goto done;
    if (core_n > 1 && all_cased(PyUnicode_4BYTE_KIND, core_buf, core_n, 1) && append_const(feats, K_CAPS) < 0)
        goto done;
    if (all_cased(PyUnicode_4BYTE_KIND, core_buf, core_n, 0) && append_const(feats, K_LOWER) < 0)
        goto done;
    PyObject *words = PyDict_GetItemWithError(lexicon, low);
    if (words == NULL && PyErr_Occurred())
        goto done;
    if (words != NULL) {
        PyObject *seq = PySequence_Fast(words, "lexicon values must be sequences");
        if (seq == NULL)
            goto done;
        for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(seq); k++) {
            if (PyList_Append(feats, PySequence_Fast_GET_ITEM(seq, k)) < 0) {
                Py_DECREF(seq);
                goto done;
            }
        }
        Py_DECREF(seq);
    }
    int a = PySet_Contains(connectors, lower), b = a == 1 ? 1 : PySet_Contains(connectors, low);
    if (a < 0 || b < 0)
        goto done;
    if ((a || b) && append_const(feats, K_CONNECTOR) < 0)
        goto done;
    stripped = PyObject_CallMethodOneArg(lower, constants[K_STRIP_NAME], constants[K_STRIP]);
    if (stripped == NULL)
        goto done;
    a = PySet_Contains(editor_words, stripped);
    if (a < 0 || (a && append_const(feats, K_EDITOR_WORD) < 0))
        goto done;
    a = PySet_Contains(markers, lower);
    b = a == 1 ? 1 : PySet_Contains(markers, low);
    if (a < 0 || b < 0)
        goto done;
    if ((a || b) && append_new(feats, prefixed(K_MARK, low)) < 0)
        goto done;
    a = contains(token, K_HTTP);
    b = a == 1 ? 1 : contains(token, K_WWW);
    if (a < 0 || b < 0 || ((a || b) && append_const(feats, K_URL) < 0))
        goto done;
    if (digits) {
        a = contains(token, K_TEN);
        b = a == 1 ? contains(token, K_SLASH) : 0;
        if (a < 0 || b < 0 || (a && b && append_const(feats, K_DOI) < 0))
            goto done;
    }
    if (last == ':' && append_const(feats, K_COLON) < 0)
        goto done;
    if (!digits) {
        a = contains(token, K_DASH);
        if (a < 0 || (a && append_const(feats, K_HYPHEN_WORD) < 0))
            goto done;
    }
    if (core_n == 0 && append_const(feats, K_PUNCT_ONLY) < 0)
        goto done;
    if (bare_n >= 2) {
        Py_UCS4 q = PyUnicode_READ(kind, data, bare_n - 2), s_ = PyUnicode_READ(kind, data, bare_n - 1);
        if (s_ == 's' && (q == '\'' || q == 0x2019) && append_const(feats, K_POSSESSIVE) < 0)
            goto done;
    }
    if (PyUnicode_GET_LENGTH(low) > 0 && append_new(feats, prefixed(K_W, low)) < 0)
        goto done;
    result = Py_NewRef(feats);
done:
    PyMem_Free(core_buf);
    Py_XDECREF(feats);
    Py_XDECREF(core);
    Py_XDECREF(low);
    Py_XDECREF(lower);
    Py_XDECREF(stripped);
    return result;
}

static PyObject *token_features(PyObject *self, PyObject *token)
{
    long flags;
    PyObject *feats = describe(token, &flags);
    if (feats == NULL)
        return NULL;
    PyObject *out = PyList_AsTuple(feats);
    Py_DECREF(feats);
    return out;
}

/* score(table, n_labels, token) -> (block, flags): token_features and the sum of its features' blocks, the
   flags being what decode() reads of the token for the context of those after it. */
static PyObject *score(PyObject *self, PyObject *args)
{
    PyObject *table, *token;
    Py_ssize_t n_labels;
    if (!PyArg_ParseTuple(args, "O!nO", &PyDict_Type, &table, &n_labels, &token))
        return NULL;
    if (n_labels <= 0) {
        PyErr_SetString(PyExc_ValueError, "n_labels must be positive");
        return NULL;
    }
    long flags;
    PyObject *feats = describe(token, &flags);
    if (feats == NULL)
        return NULL;
    PyObject *sums = sum_blocks(table, PySequence_Fast_ITEMS(feats), PyList_GET_SIZE(feats), n_labels);
    Py_DECREF(feats);
    if (sums == NULL)
        return NULL;
    return Py_BuildValue("(Nl)", sums, flags);
}

static PyMethodDef methods[] = {
    {"decode", decode, METH_VARARGS, "The best label ids of a sequence of scored tokens (Viterbi)."},
    {"configure", configure, METH_VARARGS, "Give token_features its lexicon and word sets."},
    {"token_features", token_features, METH_O, "features.token_features, computed in C."},
    {"score", score, METH_VARARGS, "A token's summed weight block and context flags."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_crf", "Viterbi decoding for the reference CRF.", -1,
                                    methods};

PyMODINIT_FUNC PyInit__crf(void) { return PyModule_Create(&module); }
