using System.Globalization;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FlinkOpsBot.Testing;

/// <summary>Reads a YAML (or JSON) file into Json.NET tokens, resolving plain scalars as YAML 1.2's core schema does.</summary>
internal static partial class YamlJson
{
    public static JObject Load(string path)
    {
        using var reader = File.OpenText(path);
        var stream = new YamlStream();
        stream.Load(reader);
        return ToJson(stream.Documents[0].RootNode) as JObject
            ?? throw new InvalidDataException($"{path} is not a YAML mapping.");
    }

    private static JToken ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JObject(
            mapping.Children.Select(pair => new JProperty(((YamlScalarNode)pair.Key).Value!, ToJson(pair.Value)))),
        YamlSequenceNode sequence => new JArray(sequence.Children.Select(ToJson)),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidDataException($"Unsupported YAML node {node.NodeType} at {node.Start}."),
    };

    private static JValue Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain) return new JValue(text);
        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => JValue.CreateNull(),
            "true" or "True" or "TRUE" => new JValue(true),
            "false" or "False" or "FALSE" => new JValue(false),
            _ when IntegerPattern().IsMatch(text) && long.TryParse(text, CultureInfo.InvariantCulture, out var integer) => new JValue(integer),
            _ when FloatPattern().IsMatch(text) => new JValue(double.Parse(text, CultureInfo.InvariantCulture)),
            _ => new JValue(text),
        };
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
