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

/* block(table, features, n_labels) -> bytes
 * A token's five score vectors (itself, then as the token two before, one before, one after, two
 * after): the sum of the blocks that ``table`` holds for its features (feature -> bytes of
 * 5 * n_labels doubles, made once per model by crf.py); features the model does not know add nothing. */
static PyObject *block(PyObject *self, PyObject *args)
{
    PyObject *table, *features;
    Py_ssize_t n_labels;
    if (!PyArg_ParseTuple(args, "O!On", &PyDict_Type, &table, &features, &n_labels))
        return NULL;
    if (n_labels <= 0) {
        PyErr_SetString(PyExc_ValueError, "n_labels must be positive");
        return NULL;
    }
    PyObject *seq = PySequence_Fast(features, "features must be a sequence");
    if (seq == NULL)
        return NULL;
    Py_ssize_t width = 5 * n_labels;
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)sizeof(double) * width);
    if (out == NULL) {
        Py_DECREF(seq);
        return NULL;
    }
    double *sums = (double *)PyBytes_AS_STRING(out);
    memset(sums, 0, sizeof(double) * (size_t)width);
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);
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
    Py_DECREF(seq);
    return out;
fail:
    Py_DECREF(seq);
    Py_DECREF(out);
    return NULL;
}

/* decode(transitions, context, edges, tokens) -> list[int]
 * tokens: a list of (block, flags) pairs, one per token, block as made by block().
 * transitions: n_labels * n_labels doubles, [next][previous] (a label's incoming weights together); context: CONTEXT_ROWS rows;
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
            for (Py_ssize_t y = 0; y < L; y++) {
                const double *into = T + y * L; /* the weights of every label before y */
                double best = prev[0] + into[0];
                int arg = 0;
                for (Py_ssize_t x = 1; x < L; x++) {
                    double s = prev[x] + into[x];
                    if (best < s) {
                        best = s;
                        arg = (int)x;
                    }
                }
                cur[y] = best + emit[y];
                back[i * L + y] = arg;
            }
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

static PyMethodDef methods[] = {
    {"block", block, METH_VARARGS, "Sum attribute weight rows into a token's five score vectors."},
    {"decode", decode, METH_VARARGS, "The best label ids of a sequence of scored tokens (Viterbi)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_crf", "Viterbi decoding for the reference CRF.", -1,
                                    methods};

PyMODINIT_FUNC PyInit__crf(void) { return PyModule_Create(&module); }
