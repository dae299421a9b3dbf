using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.AzureTables.Rest;

/// <summary>
/// <see cref="ITableClient"/> over the Table service REST API (version 2019-02-02, JSON with
/// <c>odata=nometadata</c>) on an Azure.Core <see cref="HttpPipeline"/>, which brings retries, per-attempt
/// timeouts, authentication and redacted diagnostics.
/// </summary>
internal sealed class TableRestClient : ITableClient
{
    internal const string ServiceVersion = "2019-02-02";
    private const string JsonNoMetadata = "application/json;odata=nometadata";
    private const string ContinuationHeader = "x-ms-continuation-";
    private const string NextPartitionKey = nameof(NextPartitionKey);
    private const string NextRowKey = nameof(NextRowKey);

    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;

    /// <param name="pipeline">The authenticated pipeline (see <see cref="TableServiceClient"/>).</param>
    /// <param name="endpoint">The table service endpoint, e.g. <c>https://account.table.core.windows.net</c> or Azurite's <c>http://127.0.0.1:10002/devstoreaccount1</c>.</param>
    /// <param name="name">The table's name.</param>
    public TableRestClient(HttpPipeline pipeline, Uri endpoint, string name)
    {
        _pipeline = pipeline;
        _endpoint = new Uri(endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        Name = name;
    }

    public string Name { get; }

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Post, "/Tables");
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        SetJsonContent(message, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("TableName", Name);
            writer.WriteEndObject();
        });
        var operation = $"Create table {Name}";
        var response = await SendAsync(message, operation, cancellationToken);
        if (response.Status is 201 or 204) return;
        var failure = Failure(response, operation);
        if (failure.ErrorCode != "TableAlreadyExists") throw failure;
    }

    public async Task<TableEntity?> GetEntityIfExistsAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Get, EntityPath(partitionKey, rowKey));
        var operation = $"Read {Describe(partitionKey, rowKey)}";
        var response = await SendAsync(message, operation, cancellationToken);
        if (response.Status == 200)
        {
            using var json = JsonDocument.Parse(response.Content);
            return TableEntity.Read(json.RootElement, ETagOf(response, operation));
        }
        var failure = Failure(response, operation);
        return IsEntityNotFound(failure) ? null : throw failure;
    }

    public async Task<string> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Post, "/" + Name);
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        SetJsonContent(message, entity.WriteTo);
        var operation = $"Insert {Describe(entity.PartitionKey, entity.RowKey)}";
        var response = await SendAsync(message, operation, cancellationToken);
        if (response.Status is 201 or 204) return ETagOf(response, operation);
        var failure = Failure(response, operation);
        throw failure.Status == 409 ? Conflict(failure) : failure;
    }

    public async Task<string> UpdateEntityAsync(TableEntity entity, string ifMatch, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Put, EntityPath(entity.PartitionKey, entity.RowKey));
        message.Request.Headers.SetValue(HttpHeader.Names.IfMatch, ifMatch);
        SetJsonContent(message, entity.WriteTo);
        var operation = $"Replace {Describe(entity.PartitionKey, entity.RowKey)}";
        var response = await SendAsync(message, operation, cancellationToken);
        if (response.Status == 204) return ETagOf(response, operation);
        var failure = Failure(response, operation);
        throw failure.Status == 412 || IsEntityNotFound(failure) ? Conflict(failure) : failure;
    }

    public async Task UpsertEntityAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Put, EntityPath(entity.PartitionKey, entity.RowKey));
        SetJsonContent(message, entity.WriteTo);
        var operation = $"Upsert {Describe(entity.PartitionKey, entity.RowKey)}";
        var response = await SendAsync(message, operation, cancellationToken);
        if (response.Status != 204) throw Failure(response, operation);
    }

    public async Task DeleteEntityAsync(string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Delete, EntityPath(partitionKey, rowKey));
        message.Request.Headers.SetValue(HttpHeader.Names.IfMatch, ifMatch);
        var operation = $"Delete {Describe(partitionKey, rowKey)}";
        var response = await SendAsync(message, operation, cancellationToken);
        if (response.Status == 204) return;
        var failure = Failure(response, operation);
        if (IsEntityNotFound(failure)) return;
        throw failure.Status == 412 ? Conflict(failure) : failure;
    }

    public async IAsyncEnumerable<TableEntity> QueryAsync(string filter, int? maxPerPage, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var operation = $"Query {Name} where {filter}";
        string? nextPartitionKey = null;
        string? nextRowKey = null;
        do
        {
            using var message = CreateMessage(RequestMethod.Get, $"/{Name}()");
            message.Request.Uri.AppendQuery("$filter", filter, escapeValue: true);
            if (maxPerPage is { } top) message.Request.Uri.AppendQuery("$top", top.ToString(CultureInfo.InvariantCulture), escapeValue: false);
            if (nextPartitionKey is not null) message.Request.Uri.AppendQuery(NextPartitionKey, nextPartitionKey, escapeValue: true);
            if (nextRowKey is not null) message.Request.Uri.AppendQuery(NextRowKey, nextRowKey, escapeValue: true);
            var response = await SendAsync(message, operation, cancellationToken);
            if (response.Status != 200) throw Failure(response, operation);

            using (var page = JsonDocument.Parse(response.Content))
            {
                foreach (var item in page.RootElement.GetProperty("value").EnumerateArray())
                {
                    yield return TableEntity.Read(item, etag: null);
                }
            }
            // A page may be short, or even empty, and still have more after it: only a missing continuation ends the query.
            response.Headers.TryGetValue(ContinuationHeader + NextPartitionKey, out nextPartitionKey);
            response.Headers.TryGetValue(ContinuationHeader + NextRowKey, out nextRowKey);
        }
        while (nextPartitionKey is not null);
    }

    private HttpMessage CreateMessage(RequestMethod method, string path)
    {
        var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(_endpoint);
        request.Uri.AppendPath(path, escape: false);
        request.Headers.SetValue("x-ms-version", ServiceVersion);
        request.Headers.SetValue("DataServiceVersion", "3.0");
        request.Headers.SetValue(HttpHeader.Names.Accept, JsonNoMetadata);
        return message;
    }

    private async Task<Response> SendAsync(HttpMessage message, string operation, CancellationToken cancellationToken)
    {
        try
        {
            await _pipeline.SendAsync(message, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is RequestFailedException or AggregateException or OperationCanceledException)
        {
            // Every attempt failed without an answer (connection refused, DNS, per-attempt timeout).
            throw new TableStorageException($"{operation} at {_endpoint}: no answer. {e.Message}", 0, null, e);
        }
        return message.Response;
    }

    private string EntityPath(string partitionKey, string rowKey) =>
        $"/{Name}(PartitionKey='{KeyLiteral(partitionKey)}',RowKey='{KeyLiteral(rowKey)}')";

    private static string KeyLiteral(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));

    private string Describe(string partitionKey, string rowKey) => $"{Name}({partitionKey}, {rowKey})";

    private static bool IsEntityNotFound(TableStorageException failure) =>
        failure.Status == 404 && failure.ErrorCode != "TableNotFound";

    private static ConcurrencyConflictException Conflict(TableStorageException failure) =>
        new($"Conditional write lost. {failure.Message}", failure);

    private static string ETagOf(Response response, string operation) =>
        response.Headers.TryGetValue("ETag", out var etag)
            ? etag
            : throw new TableStorageException($"{operation}: the answer {response.Status} had no ETag.", response.Status, null);

    private static TableStorageException Failure(Response response, string operation)
    {
        response.Headers.TryGetValue("x-ms-error-code", out var code);
        string? detail = null;
        try
        {
            using var json = JsonDocument.Parse(response.Content);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("odata.error", out var error))
            {
                code ??= error.TryGetProperty("code", out var codeElement) ? codeElement.GetString() : null;
                detail = error.TryGetProperty("message", out var messageElement) && messageElement.TryGetProperty("value", out var value)
                    ? value.GetString()?.Split('\n')[0]
                    : null;
            }
        }
        catch (JsonException)
        {
            // Not a JSON error body (e.g. XML from a proxy); the status and header code are all there is.
        }
        var message = $"{operation}: {response.Status} {code ?? response.ReasonPhrase}" + (detail is null ? "." : $": {detail}");
        return new TableStorageException(message, response.Status, code);
    }

    private static void SetJsonContent(HttpMessage message, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        message.Request.Headers.SetValue(HttpHeader.Names.ContentType, "application/json");
        message.Request.Content = RequestContent.Create(buffer.WrittenMemory);
    }
}
