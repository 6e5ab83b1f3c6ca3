"""The Variables view's side in the agent: a dict's summary in the order of its children, and a DataFrame that
expands to its columns with their dtypes and missing values, each of which opens as a table."""
import unittest

from pydock_agent.namespace import expand, list_variables, resolve

from optional import needs_pandas, numpy, pandas


class NamespaceTest(unittest.TestCase):
    def test_a_dict_summary_lists_its_keys_in_the_order_its_children_do(self):
        namespace = {"config": {"zeta": 1, "alpha": {"y": 2, "b": 3}, 10: "ten"}}
        summary = list_variables(namespace)["variables"][0]["repr"]
        self.assertEqual(summary, "{'zeta': 1, 'alpha': {'y': 2, 'b': 3}, 10: 'ten'}")
        children = expand(namespace, ["config"], "config")["variables"]
        self.assertEqual([c["name"] for c in children], ["'zeta'", "'alpha'", "10"])

    @needs_pandas
    def test_a_dataframe_expands_to_its_columns_with_dtype_and_missing_values(self):
        frame = pandas.DataFrame({"city": ["Oslo", None, "Lima", None], "temperature": [1.5, numpy.nan, 3.0, 4.0],
                                  7: [1, 2, 3, 4]})
        namespace = {"df": frame}
        info = list_variables(namespace)["variables"][0]
        self.assertEqual((info["expandable"], info["tabular"], info["shape"]), (True, True, [4, 3]))
        children = expand(namespace, info["path"], info["expr"])["variables"]
        self.assertEqual([(c["name"], c["type"], c["repr"], c["expr"]) for c in children], [
            ("city", "object", "2 nulls (50.0%)", "df['city']"),
            ("temperature", "float64", "1 null (25.0%)", "df['temperature']"),
            ("7", "int64", "no nulls", "df[7]"),
        ])
        for child in children:
            self.assertTrue(child["tabular"] and not child["expandable"])
            self.assertTrue(resolve(namespace, child["path"]).equals(eval(child["expr"], namespace)))

    @needs_pandas
    def test_columns_of_duplicate_labels_are_reached_by_position(self):
        frame = pandas.DataFrame([[1, 2]], columns=["a", "a"])
        children = expand({"df": frame}, ["df"], "df")["variables"]
        self.assertEqual([c["expr"] for c in children], ["df.iloc[:, 0]", "df.iloc[:, 1]"])


if __name__ == "__main__":
    unittest.main()
