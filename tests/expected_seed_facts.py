"""Table facts of seeds 000, 001 and 004, checked by hand against the seed texts.

value None = the cell is blank (not reported); approx = the figure was printed with 余/多/约.
"""

from __future__ import annotations

_ZEROS = dict.fromkeys(
    [
        "denied_state_secret", "denied_commercial_secret", "denied_privacy", "denied_public_safety",
        "review_upheld", "review_corrected", "review_other",
        "litigation_upheld", "litigation_corrected", "litigation_other",
    ],
    0.0,
)

SEED_000 = {  # 咸宁市国土资源局 2017, Hubei variant, tab-cell layout
    "proactive_total": 1169.0, "proactive_normative_docs": 7.0, "normative_docs_issued": None,
    "proactive_channel_total": 1169.0, "proactive_channel_gazette": 1.0, "proactive_channel_website": 831.0,
    "proactive_channel_weibo": 55.0, "proactive_channel_wechat": 55.0, "proactive_channel_other": 227.0,
    "response_hotspots": 10.0, "response_channel_total": None, "response_press_conferences": 0.0,
    "response_press_conferences_head": 0.0, "response_online_interviews": 4.0,
    "response_online_interviews_head": 4.0, "response_policy_interpretations": 4.0,
    "response_social_media_events": 0.0, "response_other_events": 69.0,
    "response_leader_mailbox_replies": 45.0, "response_message_board_replies": 0.0,
    "response_online_surveys": 2.0, "response_opinion_solicitations": 4.0, "response_hotline_calls": 18.0,
    "application_received": 0.0, "application_received_in_person": 0.0, "application_received_fax": 0.0,
    "application_received_online": 6.0, "application_received_letter": 0.0,
    "application_closed": 6.0, "application_closed_on_time": 6.0, "application_closed_extended": 0.0,
    "application_answered": 6.0, "answered_already_public": 2.0, "answered_granted": 2.0,
    "answered_partially_granted": 0.0, "answered_denied": 0.0,
    **_ZEROS,
    "denied_not_government_info": 0.0, "denied_other_legal": 0.0,
    "answered_not_this_agency": 4.0, "answered_not_exist": 0.0, "answered_amendment_requested": 0.0,
    "answered_redirected": 4.0, "review_total": 0.0, "litigation_total": 0.0,
    "complaints_total": 15.0, "fees_collected": 0.0, "org_dedicated_units": 1.0, "org_reading_points": 3.0,
    "org_staff_total": 2.0, "org_staff_fulltime": 1.0, "org_staff_parttime": 2.0, "org_budget": 1.8,
    "meetings_held": 3.0, "training_courses": 5.0, "training_trainees": 215.0,
}

SEED_001 = {  # 呼和浩特市国土资源局 2017, Inner Mongolia variant, pipe layout, document repeated twice
    "proactive_total": 20.0, "proactive_normative_docs": 0.0, "normative_docs_issued": 0.0,
    "proactive_channel_total": None, "proactive_channel_gazette": 0.0, "proactive_channel_website": 2105.0,
    "proactive_channel_weibo": 488.0, "proactive_channel_wechat": 0.0, "proactive_channel_other": 0.0,
    "response_hotspots": 2.0, "response_channel_total": None, "response_press_conferences": 2.0,
    "response_press_conferences_head": 0.0, "response_online_interviews": 0.0,
    "response_online_interviews_head": 0.0, "response_policy_interpretations": 1.0,
    "response_social_media_events": 2.0, "response_other_events": 2.0,
    "application_received": 4.0, "application_received_in_person": 2.0, "application_received_fax": 0.0,
    "application_received_online": 0.0, "application_received_letter": 2.0,
    "application_closed": 4.0, "application_closed_on_time": 4.0, "application_closed_extended": 0.0,
    "application_answered": 4.0, "answered_already_public": 0.0, "answered_granted": 4.0,
    "answered_partially_granted": 0.0, "answered_denied": 0.0,
    **_ZEROS,
    "denied_not_government_info": 0.0, "denied_other_legal": 0.0,
    "answered_not_this_agency": 0.0, "answered_not_exist": 0.0, "answered_amendment_requested": 0.0,
    "answered_redirected": 0.0, "review_total": 0.0, "litigation_total": 0.0,
    "complaints_total": 0.0, "fees_collected": 0.0, "org_dedicated_units": 1.0, "org_reading_points": 1.0,
    "org_staff_total": 2.0, "org_staff_fulltime": 1.0, "org_staff_parttime": 1.0, "org_budget": 2.0,
    "meetings_held": 3.0, "training_courses": 0.0, "training_trainees": 0.0,
}

# Inner Mongolia's sections 十 and 十一 in seed 001, as documented extension codes (是 = 1, 否 = 0, blank = None)
NMG_001 = {
    "nmg_portal_online_services": 0.0, "nmg_portal_linked_approval_system": 0.0,
    "nmg_portal_linked_supervision_system": 0.0, "nmg_approval_items": 10.0, "nmg_approval_items_licensing": 2.0,
    "nmg_approval_items_non_licensing": 0.0, "nmg_center_approval_items": 10.0,
    "nmg_center_approval_items_licensing": 2.0, "nmg_center_approval_items_non_licensing": 0.0,
    "nmg_center_colocated_trading": None, "nmg_center_has_supervision_system": None,
    "nmg_county_centers_built": None, "nmg_county_centers_building": None, "nmg_county_centers_missing": None,
    "nmg_county_supervision_systems": None, "nmg_township_offices": None, "nmg_township_service_centers": None,
    "nmg_villages": None, "nmg_village_service_points": None,
}
SEED_001 = {**SEED_001, **NMG_001}

SEED_004 = {  # 国土资源部 2016, tab-cell layout with indentation, 80余万
    "proactive_total": 800000.0, "proactive_normative_docs": 21.0, "normative_docs_issued": 21.0,
    "proactive_channel_total": None, "proactive_channel_gazette": 330.0, "proactive_channel_website": 800000.0,
    "proactive_channel_weibo": 690.0, "proactive_channel_wechat": 1050.0, "proactive_channel_other": 1600.0,
    "response_hotspots": 20.0, "response_channel_total": 24.0, "response_press_conferences": 20.0,
    "response_press_conferences_head": 0.0, "response_online_interviews": 4.0,
    "response_online_interviews_head": 0.0, "response_policy_interpretations": 20.0,
    "response_social_media_events": 5.0, "response_other_events": 20.0,
    "application_received": 1045.0, "application_received_in_person": 254.0, "application_received_fax": 0.0,
    "application_received_online": 182.0, "application_received_letter": 609.0,
    "application_closed": 1045.0, "application_closed_on_time": 1032.0, "application_closed_extended": 13.0,
    "application_answered": 1045.0, "answered_already_public": 105.0, "answered_granted": 125.0,
    "answered_partially_granted": 317.0, "answered_denied": 106.0,
    "denied_state_secret": 0.0, "denied_commercial_secret": 0.0, "denied_privacy": 0.0,
    "denied_public_safety": 0.0, "denied_not_government_info": 100.0, "denied_other_legal": 6.0,
    "answered_not_this_agency": 392.0, "answered_not_exist": 0.0, "answered_amendment_requested": 28.0,
    "answered_redirected": 0.0, "review_total": 84.0, "review_upheld": 41.0, "review_corrected": 18.0,
    "review_other": 25.0, "litigation_total": 69.0, "litigation_upheld": 52.0, "litigation_corrected": 10.0,
    "litigation_other": 7.0, "complaints_total": 0.0, "fees_collected": 0.0, "org_dedicated_units": 1.0,
    "org_reading_points": 1.0, "org_staff_total": 38.0, "org_staff_fulltime": 8.0, "org_staff_parttime": 30.0,
    "org_budget": 110.0, "meetings_held": 3.0, "training_courses": 3.0, "training_trainees": 1570.0,
}
APPROXIMATE_004 = {"proactive_total", "proactive_channel_website"}

EXPECTED = {"000": (SEED_000, set()), "001": (SEED_001, set()), "004": (SEED_004, APPROXIMATE_004)}
