using System.Globalization;
using System.Text.Json;

namespace FlinkOpsBot.AzureTables.Rest;

/// <summary>
/// One Table Storage entity: its keys, the ETag it was read with, and its properties. Values are <see cref="string"/>,
/// <see cref="bool"/>, <see cref="int"/> or <see cref="DateTimeOffset"/> (written as <c>Edm.DateTime</c>). Read with
/// <c>odata=nometadata</c>, a <c>DateTime</c> property comes back as its ISO 8601 string, which
/// <see cref="GetDateTimeOffset"/> parses. The shape follows Azure.Data.Tables' <c>TableEntity</c>.
/// </summary>
internal sealed class TableEntity
{
    private const string PartitionKeyName = "PartitionKey";
    private const string RowKeyName = "RowKey";
    private readonly Dictionary<string, object> _properties = new(StringComparer.Ordinal);

    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey { get; }

    public string RowKey { get; }

    /// <summary>The version the entity was read at; null for an entity built to be written, and for query results.</summary>
    public string? ETag { get; private init; }

    /// <exception cref="ArgumentException">The value is not one of the supported types.</exception>
    public object? this[string name]
    {
        get => _properties.GetValueOrDefault(name);
        set => _properties[name] = value is string or bool or int or DateTimeOffset
            ? value
            : throw new ArgumentException($"Property {name}: {value?.GetType().Name ?? "null"} is not a supported table value (string, bool, int, DateTimeOffset).", nameof(value));
    }

    public string? GetString(string name) => this[name] as string;

    public int? GetInt32(string name) => this[name] as int?;

    public DateTimeOffset? GetDateTimeOffset(string name) => this[name] switch
    {
        DateTimeOffset value => value,
        string text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        _ => null,
    };

    /// <summary>Writes the entity as the Table service's JSON entity body.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString(PartitionKeyName, PartitionKey);
        writer.WriteString(RowKeyName, RowKey);
        foreach (var (name, value) in _properties)
        {
            switch (value)
            {
                case string text:
                    writer.WriteString(name, text);
                    break;
                case bool flag:
                    writer.WriteBoolean(name, flag);
                    break;
                case int number:
                    writer.WriteNumber(name, number);
                    break;
                case DateTimeOffset time:
                    writer.WriteString(name + "@odata.type", "Edm.DateTime");
                    writer.WriteString(name, time.UtcDateTime.ToString("o", CultureInfo.InvariantCulture));
                    break;
            }
        }
        writer.WriteEndObject();
    }

    /// <summary>Reads an entity from a <c>nometadata</c> JSON object.</summary>
    public static TableEntity Read(JsonElement json, string? etag)
    {
        var entity = new TableEntity(
            json.GetProperty(PartitionKeyName).GetString() ?? "",
            json.GetProperty(RowKeyName).GetString() ?? "")
        {
            ETag = etag,
        };
        foreach (var property in json.EnumerateObject())
        {
            if (property.NameEquals(PartitionKeyName) || property.NameEquals(RowKeyName)) continue;
            entity._properties[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number when property.Value.TryGetInt32(out var number) => number,
                _ => property.Value.GetRawText(),
            };
        }
        return entity;
    }
}
