"""Pure parts of kiosk.dsm: status parsing, fault mapping, server configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
import zeep.exceptions
from lxml import etree

from dsm_server import config as server_config
from kiosk.dsm import protocol as p
from kiosk.dsm.client import _fault_error
from kiosk.dsm.errors import ActionNotSupported, JobTokenNotFound, ScanServerBusy, ScanServerFault
from kiosk.dsm.model import END_STATES, parse_job_elements
from kiosk.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]

RESPONSE = f"""<dsp:GetPostScanJobElementsResponse xmlns:dsp="{p.DSP}" xmlns:x="urn:vendor"><dsp:JobElements>
<dsp:ElementData dsp:Name="dsp:JobStatus" dsp:Valid="true"><dsp:JobStatus>
 <dsp:JobToken>264a19bf-3604-4603-b59d-b47e0f669a1e</dsp:JobToken><dsp:JobState>Aborted</dsp:JobState>
 <dsp:JobStateReasons><dsp:JobStateReason>SendImangeFailed</dsp:JobStateReason><dsp:JobStateReason>x:Jammed</dsp:JobStateReason></dsp:JobStateReasons>
 <dsp:FilterStatuses><dsp:FilterStatus><dsp:Dialect>urn:f</dsp:Dialect><dsp:FilterState>CompletedWithErrors</dsp:FilterState>
  <dsp:FilterStateReasons><dsp:FilterStateReason>SharepointAccessDenied</dsp:FilterStateReason></dsp:FilterStateReasons></dsp:FilterStatus></dsp:FilterStatuses>
 <dsp:ImagesReceived>3</dsp:ImagesReceived><dsp:JobCreatedTime>2026-11-25T06:00:00Z</dsp:JobCreatedTime>
</dsp:JobStatus></dsp:ElementData>
<dsp:ElementData dsp:Name="dsp:JobDescription" dsp:Valid="false"/>
</dsp:JobElements></dsp:GetPostScanJobElementsResponse>"""


def test_job_status_accepts_spelling_variants_and_vendor_values():
    el = etree.fromstring(RESPONSE)
    assert p.dsp_schema().validate(el), p.dsp_schema().error_log
    elements = parse_job_elements(el)
    s = elements.status
    assert (s.state, s.reasons, s.images_received) == ("Aborted", ("SendImageFailed", "x:Jammed"), 3)
    assert s.filters[0].reasons == ("SharePointAccessDenied",) and s.finished and s.state in END_STATES
    assert s.created.year == 2026 and s.completed is None
    assert elements.description is None  # Valid="false"


def fault(subcode: str | None, ns: str = p.DSP) -> zeep.exceptions.Fault:
    subs = [etree.QName(ns, subcode)] if subcode else []
    return zeep.exceptions.Fault("why", code="soap:Sender", subcodes=subs, detail=None)


@pytest.mark.parametrize(
    "subcode, ns, cls, retryable",
    [
        ("ServerErrorTemporaryError", p.DSP, ScanServerBusy, True),
        ("ActionNotSupported", p.WSA, ActionNotSupported, False),
        ("ClientErrorJobTokenNotFound", p.DSP, JobTokenNotFound, False),
        ("EndpointUnavailable", p.WSA, JobTokenNotFound, False),  # Windows' answer to a malformed token
        ("SomethingElse", "urn:vendor", ScanServerFault, False),
        (None, p.DSP, ScanServerFault, False),
    ],
)
def test_fault_mapping(subcode, ns, cls, retryable):
    err = _fault_error("EndPostScanJob", fault(subcode, ns))
    assert type(err) is cls and err.retryable is retryable and "why" in str(err)


def test_server_config_errors_name_the_key():
    with pytest.raises(ConfigError) as err:
        server_config.parse(
            {"port": "80", "tls": {"cert": "a.pem"}, "faults": {"fault_on": {"Nope": "InvalidArgs"}}}, "s.toml"
        )
    text = str(err.value)
    assert "s.toml: port" in text and "cert and key go together" in text and "unknown operation(s) Nope" in text


def test_example_server_config_is_valid():
    cfg = server_config.load(ROOT / "packaging" / "dsm-scan-server.toml.example")
    assert cfg.shares == {r"\\files.example.com\scans": "/srv/scans"} and cfg.faults == server_config.FaultConfig()


def metadata(*hosted: tuple[str, str]) -> etree._Element:
    items = "".join(
        f"<wsdp:Hosted><wsa:EndpointReference><wsa:Address>{addr}</wsa:Address></wsa:EndpointReference>"
        f"<wsdp:Types>{types}</wsdp:Types></wsdp:Hosted>"
        for addr, types in hosted
    )
    return etree.fromstring(
        f'<mex:Metadata xmlns:mex="{p.MEX}" xmlns:wsdp="{p.DPWS}" xmlns:wsa="{p.WSA}" xmlns:dsp="{p.DSP}" '
        f'xmlns:dsc="http://schemas.microsoft.com/windows/2008/12/wdp/distributedscan/configuration">'
        f"<mex:MetadataSection><wsdp:Relationship>{items}</wsdp:Relationship></mex:MetadataSection></mex:Metadata>"
    )


def test_the_ws_dsp_hosted_service_is_picked_by_its_type():
    from kiosk.config import ScanServerSettings
    from kiosk.dsm.discovery import EndpointResolver
    from kiosk.dsm.errors import DiscoveryError

    pick = EndpointResolver(ScanServerSettings())._pick_service
    both = metadata(
        ("https://s:5362/ScanServer/dsc", "dsc:RepositoryConfigurationServiceType"),
        ("https://s:5362/ScanServer/dsp", "dsp:AnyNameAtAll"),
    )
    assert pick("s", both) == "https://s:5362/ScanServer/dsp"
    assert pick("s", metadata(("https://s/only", "x"))) == "https://s/only"  # a lone service is taken
    with pytest.raises(DiscoveryError) as err:
        pick("s", metadata(("https://s/a", "dsc:A"), ("https://s/b", "dsc:B")))
    assert not err.value.retryable and "2 hosted services" in str(err.value)
