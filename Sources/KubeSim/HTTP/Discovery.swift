/// The discovery documents kubectl and client libraries read first (shapes from the real
/// server's captures). Only legacy discovery is served: a client asking for aggregated
/// discovery gets plain JSON and falls back, as against servers before v1.26.
enum Discovery {
    static let version = """
    {
      "major": "1",
      "minor": "36",
      "gitVersion": "v1.36.2-kubeluma-sim",
      "gitCommit": "0000000000000000000000000000000000000000",
      "gitTreeState": "clean",
      "buildDate": "2026-11-27T00:00:00Z",
      "goVersion": "go1.26.4",
      "compiler": "gc",
      "platform": "linux/amd64"
    }
    """

    static func api(serverAddress: String) -> String {
        "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"\(serverAddress)\"}]}\n"
    }

    static let apiV1 = """
    {"kind":"APIResourceList","groupVersion":"v1","resources":[\
    {"name":"events","singularName":"event","namespaced":true,"kind":"Event","verbs":["get","list","watch"],"shortNames":["ev"]},\
    {"name":"namespaces","singularName":"namespace","namespaced":false,"kind":"Namespace","verbs":["get","list"],"shortNames":["ns"]},\
    {"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","verbs":["get","list","watch"],"shortNames":["po"],"categories":["all"]},\
    {"name":"pods/log","singularName":"","namespaced":true,"kind":"Pod","verbs":["get"]}]}

    """

    static func apis(metrics: Bool) -> String {
        var groups = [
            "{\"name\":\"events.k8s.io\",\"versions\":[{\"groupVersion\":\"events.k8s.io/v1\",\"version\":\"v1\"}],\"preferredVersion\":{\"groupVersion\":\"events.k8s.io/v1\",\"version\":\"v1\"}}",
        ]
        if metrics {
            groups.append("{\"name\":\"metrics.k8s.io\",\"versions\":[{\"groupVersion\":\"metrics.k8s.io/v1beta1\",\"version\":\"v1beta1\"}],\"preferredVersion\":{\"groupVersion\":\"metrics.k8s.io/v1beta1\",\"version\":\"v1beta1\"}}")
        }
        return "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[\(groups.joined(separator: ","))]}\n"
    }

    static let eventsGroup = """
    {"kind":"APIGroup","apiVersion":"v1","name":"events.k8s.io","versions":[{"groupVersion":"events.k8s.io/v1","version":"v1"}],"preferredVersion":{"groupVersion":"events.k8s.io/v1","version":"v1"}}

    """

    static let eventsV1 = """
    {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"events.k8s.io/v1","resources":[{"name":"events","singularName":"event","namespaced":true,"kind":"Event","verbs":["get","list","watch"],"shortNames":["ev"]}]}

    """

    static let metricsV1beta1 = """
    {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"metrics.k8s.io/v1beta1","resources":[\
    {"name":"nodes","singularName":"","namespaced":false,"kind":"NodeMetrics","verbs":["get","list"]},\
    {"name":"pods","singularName":"","namespaced":true,"kind":"PodMetrics","verbs":["get","list"]}]}

    """
}
