using System.Globalization;
using System.Text;
using FlinkOpsBot.AzureTables.Rest;

namespace FlinkOpsBot.AzureTables.Stores;

/// <summary>
/// Stores a value's JSON in string properties. A Table string property holds at most 64 KiB (32,768 UTF-16
/// characters), so JSON up to that size goes in <c>Json</c>; longer JSON is cut into <c>Json0</c>…<c>JsonN</c>
/// with the count in <c>JsonParts</c>, never splitting a surrogate pair. The whole entity must stay under the
/// service's 1 MiB, which leaves room for about 500,000 characters of JSON; beyond that the service refuses the
/// write (<see cref="TableStorageException"/>, 413 <c>EntityTooLarge</c> or 400 <c>RequestBodyTooLarge</c>).
/// </summary>
internal static class JsonColumns
{
    internal const int MaxPropertyChars = 32 * 1024;
    private const string Json = nameof(Json);
    private const string JsonParts = nameof(JsonParts);

    public static void Write(TableEntity entity, string json)
    {
        if (json.Length <= MaxPropertyChars)
        {
            entity[Json] = json;
            return;
        }
        var parts = 0;
        for (var start = 0; start < json.Length; parts++)
        {
            var length = Math.Min(MaxPropertyChars, json.Length - start);
            if (start + length < json.Length && char.IsHighSurrogate(json[start + length - 1])) length--;
            entity[PartName(parts)] = json.Substring(start, length);
            start += length;
        }
        entity[JsonParts] = parts;
    }

    /// <exception cref="InvalidDataException">The entity holds no JSON, or a part is missing.</exception>
    public static string Read(TableEntity entity)
    {
        if (entity.GetString(Json) is { } json) return json;
        if (entity.GetInt32(JsonParts) is not { } parts)
        {
            throw new InvalidDataException($"Entity ({entity.PartitionKey}, {entity.RowKey}) has neither {Json} nor {JsonParts}.");
        }
        var whole = new StringBuilder(parts * MaxPropertyChars);
        for (var i = 0; i < parts; i++)
        {
            whole.Append(entity.GetString(PartName(i))
                ?? throw new InvalidDataException($"Entity ({entity.PartitionKey}, {entity.RowKey}) lacks {PartName(i)} of {parts}."));
        }
        return whole.ToString();
    }

    private static string PartName(int index) => Json + index.ToString(CultureInfo.InvariantCulture);
}
