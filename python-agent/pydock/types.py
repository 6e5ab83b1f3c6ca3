"""Scalar value types with no Python equivalent: Haxall's Marker/NA/Remove singletons, Ref, Uri, and Matrix without numpy."""


class _Singleton:
    __slots__ = ("_name",)

    def __init__(self, name):
        self._name = name

    def __repr__(self):
        return self._name

    def __reduce__(self):
        return self._name

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


Marker = _Singleton("Marker")
NA = _Singleton("NA")
Remove = _Singleton("Remove")


class Ref:
    """A reference to a record: an id and an optional display name."""

    __slots__ = ("id", "dis")

    def __init__(self, id, dis=None):
        self.id = id
        self.dis = dis

    def __eq__(self, other):
        return isinstance(other, Ref) and (self.id, self.dis) == (other.id, other.dis)

    def __hash__(self):
        return hash(self.id)

    def __repr__(self):
        return "Ref(%r, %r)" % (self.id, self.dis) if self.dis is not None else "Ref(%r)" % (self.id,)


class Uri(str):
    """A URI: a str that remembers it is one, so it returns to TypeScript as a Uri."""

    __slots__ = ()

    def __repr__(self):
        return "Uri(%s)" % str.__repr__(self)


class Matrix:
    """An n-dimensional array received while numpy is not installed: shape, dtype and row-major bytes."""

    __slots__ = ("shape", "dtype", "data")

    _FORMATS = {"float64": "d", "float32": "f", "int8": "b", "int16": "h", "int32": "i", "int64": "q",
                "uint8": "B", "uint16": "H", "uint32": "I", "uint64": "Q", "bool": "?"}

    def __init__(self, shape, dtype, data):
        self.shape = tuple(shape)
        self.dtype = dtype
        self.data = bytes(data)

    def tolist(self):
        flat = memoryview(self.data).cast(self._FORMATS[self.dtype]).tolist()
        return _nest(flat, self.shape)

    def __eq__(self, other):
        return isinstance(other, Matrix) and (self.shape, self.dtype, self.data) == (other.shape, other.dtype, other.data)

    def __repr__(self):
        return "Matrix(shape=%r, dtype=%r)" % (self.shape, self.dtype)


def _nest(flat, shape):
    if len(shape) <= 1:
        return flat
    step = len(flat) // shape[0] if shape[0] else 0
    return [_nest(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]
