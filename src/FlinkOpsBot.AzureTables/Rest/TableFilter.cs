using System.Globalization;

namespace FlinkOpsBot.AzureTables.Rest;

/// <summary>Builds OData filters with quoted values, like Azure.Data.Tables' <c>TableClient.CreateQueryFilter</c>.</summary>
internal static class TableFilter
{
    /// <summary>
    /// Formats <paramref name="filter"/> with every argument written as an OData string literal (single quotes,
    /// embedded quotes doubled): <c>Create($"PartitionKey eq {runId}")</c> gives <c>PartitionKey eq 'R-7Q2K'</c>.
    /// </summary>
    /// <exception cref="ArgumentException">An argument is not a string.</exception>
    public static string Create(FormattableString filter)
    {
        var literals = filter.GetArguments()
            .Select(argument => argument is string text
                ? "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'"
                : throw new ArgumentException($"Filter arguments must be strings, not {argument?.GetType().Name ?? "null"}.", nameof(filter)))
            .ToArray<object?>();
        return string.Format(CultureInfo.InvariantCulture, filter.Format, literals);
    }
}
